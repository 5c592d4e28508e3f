package dev.awal.contacts.ratelimit;

import static dev.awal.contacts.ratelimit.OperationClass.BRANCH_WRITES;
import static dev.awal.contacts.ratelimit.OperationClass.CONTACT_WRITES;
import static dev.awal.contacts.ratelimit.OperationClass.LIST_CONTACTS;
import static dev.awal.contacts.ratelimit.OperationClass.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationClassTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /contacts, LIST_CONTACTS",
            "GET, /contacts/, LIST_CONTACTS",
            "HEAD, /contacts, LIST_CONTACTS",
            "GET, /contacts;v=1, LIST_CONTACTS",
            "POST, /contacts, CONTACT_WRITES",
            "PATCH, /contacts/5, CONTACT_WRITES",
            "PATCH, /contacts/5;x=y, CONTACT_WRITES",
            "PUT, /contacts/5/avatar, CONTACT_WRITES",
            "DELETE, /contacts/5/avatar, CONTACT_WRITES",
            "POST, /branches, BRANCH_WRITES",
            "PATCH, /branches/7, BRANCH_WRITES",
            "PATCH, /branches/7/, BRANCH_WRITES",
            "GET, /contacts/5, OTHER",
            "DELETE, /contacts/5, OTHER",
            "GET, /contacts/5/avatar, OTHER",
            "GET, /branches, OTHER",
            "DELETE, /branches/7, OTHER",
            "POST, /contact-groups, OTHER",
            "PATCH, /contact-groups/3, OTHER",
            "GET, /contactsx, OTHER",
            "POST, /contacts/5/6, OTHER",
            "GET, /unknown, OTHER" })
    void classifiesByMethodAndRoute(String method, String route, OperationClass expected) {
        assertThat(OperationClass.of(method, route)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({ "LIST_CONTACTS, list-contacts", "CONTACT_WRITES, contact-writes", "BRANCH_WRITES, branch-writes",
            "OTHER, other" })
    void counterKeysMatchTheConfigurationPropertyNames(OperationClass operation, String key) {
        assertThat(operation.key()).isEqualTo(key);
    }

    /** The rules as the README states them, written as regular expressions (how OperationClass once matched). */
    private record Rule(Set<String> methods, Pattern path, OperationClass operation) {
        Rule(Set<String> methods, String path, OperationClass operation) {
            this(methods, Pattern.compile(path + "/?"), operation);
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Set.of("GET", "HEAD"), "/contacts", LIST_CONTACTS),
            new Rule(Set.of("GET", "HEAD"), "/contacts/export", LIST_CONTACTS),
            new Rule(Set.of("POST"), "/contacts/batch", CONTACT_WRITES),
            new Rule(Set.of("POST"), "/contacts/imports", CONTACT_WRITES),
            new Rule(Set.of("PUT"), "/contacts/by-phone/[^/]+", CONTACT_WRITES),
            new Rule(Set.of("POST"), "/contacts", CONTACT_WRITES),
            new Rule(Set.of("PATCH"), "/contacts/[^/]+", CONTACT_WRITES),
            new Rule(Set.of("PUT", "DELETE"), "/contacts/[^/]+/avatar", CONTACT_WRITES),
            new Rule(Set.of("POST"), "/branches", BRANCH_WRITES),
            new Rule(Set.of("PATCH"), "/branches/[^/]+", BRANCH_WRITES));

    private static OperationClass byRegex(String method, String route) {
        String path = route.replaceAll(";[^/]*", "");
        for (Rule rule : RULES) {
            if (rule.methods().contains(method) && rule.path().matcher(path).matches()) {
                return rule.operation();
            }
        }
        return OTHER;
    }

    /** Every path of up to four segments built from the routes' words (and empty ones), with and without slashes. */
    @Test
    void segmentMatchingAgreesWithTheRulesAsRegularExpressions() {
        List<String> words = List.of("contacts", "branches", "export", "batch", "imports", "by-phone", "avatar", "5",
                "", "contacts;v=1", "x;y", "contact-groups");
        List<String> paths = new ArrayList<>(List.of("", "/", "//"));
        List<String> level = List.of("");
        for (int depth = 1; depth <= 4; depth++) {
            List<String> next = new ArrayList<>();
            for (String prefix : level) {
                for (String word : words) {
                    next.add(prefix + "/" + word);
                }
            }
            for (String path : next) {
                paths.add(path);
                paths.add(path + "/");
            }
            level = next;
        }
        int compared = 0;
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            for (String path : paths) {
                assertThat(OperationClass.of(method, path)).as("%s %s", method, path).isEqualTo(byRegex(method, path));
                compared++;
            }
        }
        assertThat(compared).isGreaterThan(100_000);
    }
}
