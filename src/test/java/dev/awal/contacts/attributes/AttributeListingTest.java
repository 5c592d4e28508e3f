package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.attributes.Attrs.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Attribute filters (each operator, combined) and attribute sorts with keyset cursors. */
@QuarkusTest
class AttributeListingTest {

    static String rank;
    static String level;
    static String since;
    static String other;
    static long a;
    static long b;
    static long c;
    static long none;

    @BeforeEach
    void seed() {
        if (rank != null) {
            return;
        }
        rank = key("rank");
        level = key("level");
        since = key("since");
        other = key("other");
        define("{\"key\":\"" + rank + "\",\"label\":\"Rank\",\"type\":\"number\"}");
        define("{\"key\":\"" + level + "\",\"label\":\"Level\",\"type\":\"enum\",\"options\":[\"low\",\"high\"]}");
        define("{\"key\":\"" + since + "\",\"label\":\"Since\",\"type\":\"date\"}");
        define("{\"key\":\"" + other + "\",\"label\":\"Other\",\"type\":\"text\"}");
        a = contact("{\"" + rank + "\":1,\"" + level + "\":\"low\",\"" + since + "\":\"2024-01-01\"}");
        b = contact("{\"" + rank + "\":5,\"" + level + "\":\"high\",\"" + since + "\":\"2024-06-01\"}");
        c = contact("{\"" + rank + "\":10,\"" + level + "\":\"HIGH\"}");
        none = contact("{\"" + other + "\":\"x\"}");
    }

    private static List<Long> ids(io.restassured.response.ValidatableResponse response) {
        return response.statusCode(200).extract().jsonPath().getList("data.id", Long.class);
    }

    @Test
    void equalityMatchesAnyOfTheValues() {
        assertThat(ids(list("attributes[" + level + "]", "high", "per_page", "100"))).containsExactlyInAnyOrder(b, c);
        assertThat(ids(list("attributes[" + level + "]", "low,high", "per_page", "100"))).containsExactlyInAnyOrder(a, b, c);
        assertThat(ids(list("attributes[" + rank + "]", "5", "per_page", "100"))).containsExactly(b);
    }

    @Test
    void pageTotalsCountOnlyTheFilteredContacts() {
        // The workspace's counter (V17) must not stand in for the total of an attribute-filtered page.
        var page = list("attributes[" + level + "]", "high", "page", "1", "per_page", "1").statusCode(200).extract().jsonPath();
        assertThat(page.getList("data.id", Long.class)).hasSize(1);
        assertThat(page.getLong("meta.total")).isEqualTo(2);
    }

    @Test
    void rangesAndExistence() {
        assertThat(ids(list("attributes[" + rank + "][gte]", "5", "per_page", "100"))).containsExactlyInAnyOrder(b, c);
        assertThat(ids(list("attributes[" + rank + "][gt]", "5", "per_page", "100"))).containsExactly(c);
        assertThat(ids(list("attributes[" + rank + "][lt]", "5", "per_page", "100"))).containsExactly(a);
        assertThat(ids(list("attributes[" + rank + "][lte]", "5", "attributes[" + rank + "][gte]", "2", "per_page", "100")))
                .containsExactly(b);
        assertThat(ids(list("attributes[" + since + "][gte]", "2024-03-01", "per_page", "100"))).containsExactly(b);
        assertThat(ids(list("attributes[" + since + "][exists]", "false", "attributes[" + level + "]", "high", "per_page", "100")))
                .containsExactly(c);
        assertThat(ids(list("attributes[" + other + "][exists]", "true", "per_page", "100"))).containsExactly(none);
    }

    @Test
    void combinesWithSearchAndOtherFilters() {
        assertThat(ids(list("attributes[" + level + "]", "high", "search", "Attr", "is_favorite", "false", "per_page", "100")))
                .containsExactlyInAnyOrder(b, c);
        assertThat(ids(list("attributes[" + level + "]", "high", "search", "no such name anywhere", "per_page", "100"))).isEmpty();
    }

    @Test
    void badFiltersAre400NamingTheParameter() {
        list("attributes[nope_" + rank + "]", "1").statusCode(400).body("details.'attributes[nope_" + rank + "]'",
                equalTo("'nope_" + rank + "' is not an attribute defined in this workspace"));
        list("attributes[" + level + "][gte]", "low").statusCode(400).body("details.'attributes[" + level + "][gte]'",
                org.hamcrest.Matchers.containsString("applies to number"));
        list("attributes[" + rank + "]", "many").statusCode(400).body("details.'attributes[" + rank + "]'", equalTo("must be a number"));
        list("attributes[" + rank + "][between]", "1").statusCode(400);
        list("attributes[" + rank + "][exists]", "maybe").statusCode(400);
        list("sort", "attributes.nope_" + rank).statusCode(400).body("details.sort", org.hamcrest.Matchers.containsString("not an attribute"));
        list("sort", "attributes.Bad-Key").statusCode(400);
    }

    @Test
    void sortsByValueThenContactsWithoutOne() {
        List<Long> ascending = ids(list("sort", "attributes." + rank, "per_page", "100"));
        assertThat(ascending.subList(0, 3)).containsExactly(a, b, c);
        // The contacts without a rank follow: every other contact of the test workspace, so walk the pages (other
        // test classes may have put more than one page of them there before this one runs).
        List<Long> withoutRank = new ArrayList<>(ascending.subList(3, ascending.size()));
        for (int page = 2; !withoutRank.contains(none) && page <= 100; page++) {
            List<Long> more = ids(list("sort", "attributes." + rank, "per_page", "100", "page", String.valueOf(page)));
            if (more.isEmpty()) {
                break;
            }
            assertThat(more).doesNotContain(a, b, c);
            withoutRank.addAll(more);
        }
        assertThat(withoutRank).contains(none).doesNotContain(a, b, c);
        List<Long> descending = ids(list("sort", "-attributes." + rank, "per_page", "100"));
        assertThat(descending.subList(0, 3)).containsExactly(c, b, a);
        assertThat(ids(list("sort", "-attributes." + rank, "attributes[" + level + "]", "high"))).containsExactly(c, b);
    }

    @Test
    void cursorsWalkEveryContactOnceWhileOthersAreInserted() throws Exception {
        String score = key("score");
        define("{\"key\":\"" + score + "\",\"label\":\"Score\",\"type\":\"number\"}");
        List<Long> seeded = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            seeded.add(contact("{\"" + score + "\":" + (i % 4) + "}"));
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // Contacts inserted while the walk is under way: the walk must neither repeat nor skip a seeded one.
            Future<?> inserts = pool.submit(() -> {
                for (int i = 0; i < 6; i++) {
                    contact("{\"" + score + "\":" + (i % 5) + "}");
                }
            });
            List<Long> walked = new ArrayList<>();
            String cursor = null;
            do {
                var page = cursor == null ? list("sort", "attributes." + score, "per_page", "5", "cursor", "")
                        : list("sort", "attributes." + score, "per_page", "5", "cursor", cursor);
                var json = page.statusCode(200).extract().jsonPath();
                for (Object row : json.getList("data")) {
                    java.util.Map<?, ?> contact = (java.util.Map<?, ?>) row;
                    if (((java.util.Map<?, ?>) contact.get("custom_attributes")).containsKey(score)) {
                        walked.add(((Number) contact.get("id")).longValue());
                    }
                }
                cursor = json.getString("meta.next_cursor");
            } while (cursor != null);
            inserts.get();
            assertThat(walked).doesNotHaveDuplicates().containsAll(seeded);
        } finally {
            pool.shutdownNow();
        }
        list("sort", "attributes." + score, "cursor", "dGFtcGVyZWQ").statusCode(400);
    }

    @Test
    void anotherWorkspaceSeesNothing() {
        dev.awal.contacts.support.Api.inWorkspace("beta").urlEncodingEnabled(false)
                .get("/api/developer/contacts?attributes%5B" + rank + "%5D=5").then().statusCode(400);
    }
}
