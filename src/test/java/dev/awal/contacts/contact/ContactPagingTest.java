package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class ContactPagingTest {

    private static int create(String sender, String name) {
        return json("{\"name\":\"" + name + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=" + sender).then().statusCode(201)
                .extract().path("data.id");
    }

    private static JsonPath list(String sender, String query) {
        return signed().get("/api/developer/contacts?phone_number_id=" + sender + "&" + query).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void pageModeReportsTotalsAndLastPage() {
        String sender = String.valueOf(System.nanoTime());
        for (int i = 0; i < 7; i++) {
            create(sender, "Paged " + i);
        }
        signed().get("/api/developer/contacts?phone_number_id=" + sender + "&per_page=3&page=3").then().statusCode(200)
                .body("data", hasSize(1))
                .body("meta.page", equalTo(3))
                .body("meta.per_page", equalTo(3))
                .body("meta.total", equalTo(7))
                .body("meta.last_page", equalTo(3))
                .body("meta.next_cursor", nullValue());
        signed().get("/api/developer/contacts?phone_number_id=" + sender + "&per_page=3&page=9").then().statusCode(200)
                .body("data", hasSize(0)).body("meta.total", equalTo(7));
        signed().get("/api/developer/contacts?phone_number_id=" + sender + "&per_page=3").then()
                .body("meta.next_cursor", notNullValue());
    }

    @Test
    void cursorPagingIsStableWhileRowsAreInserted() {
        String sender = String.valueOf(System.nanoTime());
        Set<Integer> original = new LinkedHashSet<>();
        for (int i = 0; i < 25; i++) {
            original.add(create(sender, "Cursor " + i));
        }
        for (String sort : new String[] { "-created_at", "created_at", "name", "-name", "-updated_at" }) {
            List<Integer> seen = new ArrayList<>();
            JsonPath page = list(sender, "per_page=7&sort=" + sort);
            assertThat(page.getString("meta.next_cursor")).isNotNull();
            int inserted = 0;
            while (true) {
                seen.addAll(page.getList("data.id", Integer.class));
                // Concurrent writers: new rows appear while the client is paging.
                create(sender, "Cursor new " + sort + " " + inserted++);
                String next = page.getString("meta.next_cursor");
                if (next == null) {
                    break;
                }
                page = list(sender, "per_page=7&sort=" + sort + "&cursor=" + next);
                assertThat(page.getString("meta.page")).isNull();
                assertThat(page.getString("meta.total")).isNull();
            }
            assertThat(seen).doesNotHaveDuplicates();
            assertThat(seen).containsAll(original);
            original.clear();
            original.addAll(seen);
        }
    }

    @Test
    void forgedOrMismatchedCursorsAreBadRequests() {
        String forged = Base64.getUrlEncoder().encodeToString("-created_at\nnot-a-number\n5".getBytes(StandardCharsets.UTF_8));
        String wrongSort = Base64.getUrlEncoder().encodeToString("name\nAbc\n5".getBytes(StandardCharsets.UTF_8));
        for (String cursor : new String[] { "%%%", "bm90IGEgY3Vyc29y", forged, wrongSort, "x".repeat(3000) }) {
            signed().get("/api/developer/contacts?cursor=" + cursor).then().statusCode(400)
                    .body("error", equalTo("bad_request"));
        }
        String valid = signed().get("/api/developer/contacts?per_page=1").then().extract().path("meta.next_cursor");
        if (valid != null) {
            signed().get("/api/developer/contacts?page=2&cursor=" + valid).then().statusCode(400);
        }
    }
}
