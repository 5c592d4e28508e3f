package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Capped counting in page mode and keyset paging in cursor mode, with a tiny count limit. */
@QuarkusTest
@TestProfile(ContactPagingLimitsTest.TinyCountLimit.class)
class ContactPagingLimitsTest {

    public static class TinyCountLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("contacts.paging.count-limit", "2");
        }
    }

    /** A sender id of its own keeps other tests' contacts out of these listings. */
    private final String sender = String.valueOf(System.nanoTime());
    private final List<Long> created = new ArrayList<>();

    @BeforeEach
    void fiveContacts() {
        for (int i = 0; i < 5; i++) {
            created.add(json("{\"name\":\"Paging " + i + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                    .post("/api/developer/contacts?phone_number_id=" + sender)
                    .then().statusCode(201).extract().jsonPath().getLong("data.id"));
        }
    }

    @Test
    void countingStopsAtTheLimitPastThePageAndSaysSo() {
        signed().get("/api/developer/contacts?per_page=1&phone_number_id=" + sender).then().statusCode(200)
                .body("meta.total", equalTo(2))
                .body("meta.total_exact", equalTo(false))
                .body("meta.last_page", equalTo(2))
                .body("meta.next_cursor", notNullValue());
        // From page 4 the limit (offset 3 + 2) reaches past the end, so the count is exact again.
        signed().get("/api/developer/contacts?per_page=1&page=4&phone_number_id=" + sender).then().statusCode(200)
                .body("meta.total", equalTo(5))
                .body("meta.total_exact", equalTo(true))
                .body("meta.last_page", equalTo(5))
                .body("data[0].id", equalTo(created.get(1).intValue()));
        signed().get("/api/developer/contacts?per_page=1&page=5&phone_number_id=" + sender).then().statusCode(200)
                .body("meta.total_exact", equalTo(true))
                .body("meta.next_cursor", nullValue());
    }

    @Test
    void aPartialFirstPageIsItsOwnExactTotal() {
        signed().get("/api/developer/contacts?per_page=10&phone_number_id=" + sender).then().statusCode(200)
                .body("data.size()", equalTo(5))
                .body("meta.total", equalTo(5))
                .body("meta.total_exact", equalTo(true))
                .body("meta.last_page", equalTo(1))
                .body("meta.next_cursor", nullValue());
    }

    @Test
    void cursorsWalkEveryContactOnceNewestFirst() {
        // created_at has second precision, so these contacts mostly tie on it: the id decides.
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = signed().get("/api/developer/contacts?per_page=2&phone_number_id=" + sender
                    + (cursor == null ? "" : "&cursor=" + cursor)).then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("data.id", Long.class));
            cursor = page.getString("meta.next_cursor");
        } while (cursor != null);
        List<Long> newestFirst = new ArrayList<>(created);
        Collections.reverse(newestFirst);
        assertEquals(newestFirst, seen);
    }
}
