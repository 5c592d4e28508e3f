package dev.awal.contacts;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The shortcut of the pre-routing URI check never lets through a target the URI parser would refuse. */
class PlainTargetTest {

    @Test
    void everydayTargetsTakeTheShortcutAndAreValidUris() {
        for (String target : List.of("/api/developer/contacts/123", "/api/developer/contacts?q=Sara%20al&page=2",
                "/q/health/ready", "/", "/media/a-b_c.~x/y.jpg?v=1", "/x?a=b&c=d;e=f:g@h!$'()*+,/?")) {
            assertTrue(PreRoutingRefusals.plainlyValid(target), target);
            assertDoesNotThrow(() -> new URI(target), target);
        }
    }

    @Test
    void anythingUnusualGoesThroughTheParser() {
        for (String target : List.of("", "//host/path", "http://host/x", "/a b", "/a%2", "/a%zz", "/a%", "/a#frag",
                "/a\"b", "/a<b>", "/a{b}", "/a|b", "/a\\b", "/a^b", "/a`b", "/caf\u00e9", "/a[b]", "*")) {
            assertFalse(PreRoutingRefusals.plainlyValid(target), target);
        }
    }

    @Test
    void theShortcutAgreesWithTheParserOnEveryPrintableCharacter() {
        for (char c = 32; c < 127; c++) {
            String target = "/a" + c + "b?x" + c + "y";
            if (PreRoutingRefusals.plainlyValid(target)) {
                assertDoesNotThrow(() -> new URI(target), target);
            }
        }
    }
}
