package dev.awal.contacts.badinput;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Found by the bad-input suite: well-encoded cursors whose position no row can have (an epoch second
 * outside what Instant or PostgreSQL holds, a NUL in a name) were a 500. They are a 400 naming the
 * cursor, like any other forged cursor, while issued cursors and in-range positions keep working.
 */
@QuarkusTest
class ForgedCursorTest {

    private static final String CONTACTS = "/api/developer/contacts";

    private static String cursor(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void timestampPositionsNoRowCanHaveAreBadRequests() {
        for (String sort : List.of("-created_at", "created_at", "-updated_at", "updated_at")) {
            for (String seconds : List.of(String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE),
                    "253402300800", "-62135596801", "31556889864403199")) {
                Api.signed().urlEncodingEnabled(false)
                        .get(CONTACTS + "?sort=" + sort + "&cursor=" + cursor(sort + "\n" + seconds + "\n1"))
                        .then().statusCode(400)
                        .body("status", equalTo(false))
                        .body("error", equalTo("bad_request"))
                        .body("details", hasKey("cursor"))
                        .body("request_id", notNullValue());
            }
        }
    }

    @Test
    void aNulInANamePositionIsABadRequest() {
        for (String sort : List.of("name", "-name")) {
            for (String value : List.of("a\u0000b", "\u0000")) {
                Api.signed().urlEncodingEnabled(false)
                        .get(CONTACTS + "?sort=" + sort + "&cursor=" + cursor(sort + "\n" + value + "\n1"))
                        .then().statusCode(400)
                        .body("error", equalTo("bad_request"))
                        .body("details", hasKey("cursor"));
            }
        }
    }

    @Test
    void issuedCursorsAndInRangePositionsStillPage() {
        for (int i = 0; i < 2; i++) {
            Api.json("{\"name\":\"Cursor " + i + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                    .post(CONTACTS + "?phone_number_id=1").then().statusCode(201);
        }
        String next = Api.signed().get(CONTACTS + "?per_page=1").then().statusCode(200)
                .extract().path("meta.next_cursor");
        Api.signed().urlEncodingEnabled(false).get(CONTACTS + "?per_page=1&cursor=" + next).then().statusCode(200);
        for (String seconds : List.of("-62135596800", "0", "253402300799")) {
            Api.signed().urlEncodingEnabled(false)
                    .get(CONTACTS + "?cursor=" + cursor("-created_at\n" + seconds + "\n1")).then().statusCode(200);
        }
        Api.signed().urlEncodingEnabled(false)
                .get(CONTACTS + "?sort=name&cursor=" + cursor("name\nAhmed\n1")).then().statusCode(200);
    }
}
