package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Listings whose total a counter holds (the workspace, favorites, a group, a branch) answer it exact,
 * however far past the count limit; deep pages, whose ids are chosen from the index first, hold the
 * same rows in the same order as the cursor walk.
 */
@QuarkusTest
class ContactCountedListingTest {

    private static final String CONTACTS = "/api/developer/contacts";

    @Test
    void countedListingsAnswerExactTotalsAndDeepPagesMatchTheCursorWalk() {
        long group = json("{\"name\":\"Counted listing " + TestData.uniquePhone() + "\"}").post("/api/developer/contact-groups")
                .then().statusCode(201).extract().jsonPath().getLong("data.id");
        List<Long> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(json("{\"name\":\"Counted " + i + "\",\"phone\":\"+" + TestData.uniquePhone()
                    + "\",\"contact_group_id\":" + group + ",\"is_favorite\":" + (i % 2 == 0) + "}")
                    .post(CONTACTS + "?phone_number_id=1").then().statusCode(201).extract().jsonPath().getLong("data.id"));
        }

        JsonPath first = page("contact_group_id=" + group + "&per_page=2&page=1");
        assertThat(first.getLong("meta.total")).isEqualTo(7);
        assertThat(first.getBoolean("meta.total_exact")).isTrue();
        assertThat(first.getInt("meta.last_page")).isEqualTo(4);

        long favorites = count("is_favorite");
        JsonPath favorite = page("is_favorite=true&per_page=1");
        assertThat(favorite.getLong("meta.total")).isEqualTo(favorites);
        assertThat(favorite.getBoolean("meta.total_exact")).isTrue();
        JsonPath all = page("per_page=1&sort=name");
        assertThat(all.getLong("meta.total")).isEqualTo(count("true"));
        assertThat(all.getBoolean("meta.total_exact")).isTrue();

        // Page mode, page by page, against the cursor walk of the same listing and sort.
        for (String sort : List.of("-created_at", "name", "-updated_at")) {
            List<Long> paged = new ArrayList<>();
            for (int p = 1; p <= 4; p++) {
                JsonPath page = page("contact_group_id=" + group + "&per_page=2&sort=" + sort + "&page=" + p);
                assertThat(page.getLong("meta.total")).isEqualTo(7);
                paged.addAll(page.getList("data.id", Long.class));
            }
            List<Long> walked = new ArrayList<>();
            String cursor = null;
            do {
                JsonPath page = page("contact_group_id=" + group + "&per_page=2&sort=" + sort
                        + (cursor == null ? "" : "&cursor=" + cursor));
                walked.addAll(page.getList("data.id", Long.class));
                cursor = page.getString("meta.next_cursor");
            } while (cursor != null);
            assertThat(paged).as(sort).isEqualTo(walked).containsExactlyInAnyOrderElementsOf(created);
        }

        // Past the last page: no rows, and still the exact total.
        JsonPath beyond = page("contact_group_id=" + group + "&per_page=2&page=9");
        assertThat(beyond.getList("data")).isEmpty();
        assertThat(beyond.getLong("meta.total")).isEqualTo(7);
        assertThat(beyond.getBoolean("meta.total_exact")).isTrue();
    }

    private static JsonPath page(String query) {
        return signed().get(CONTACTS + "?" + query).then().statusCode(200).extract().jsonPath();
    }

    private static long count(String condition) {
        return Long.parseLong(DatabaseSessions.query("select count(*) from contacts where workspace = 'alpha' and "
                + condition).get(0));
    }
}
