package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.attributes.Attrs.list;
import static dev.awal.contacts.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Range and list-of-values filters on each of their query paths: with sort limits of 3, a filter matching
 * at most 3 contacts sorts its matches; one matching more, alone, walks the attribute's values in created_at
 * order from the cursor and stops after the page (a list merges one walk per value); one matching more next
 * to other filters walks the listing's own index and probes each contact's value. All keep the listing's
 * order, capped totals count as far as the count limit, and cursors see each match once while contacts are added.
 */
@QuarkusTest
@TestProfile(AttributeBroadFilterTest.SmallSortLimit.class)
class AttributeBroadFilterTest {

    public static class SmallSortLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A count limit of 5 puts the capped total of a two-row page inside these few contacts.
            return Map.of("contacts.attributes.filter-sort-limit", "3", "contacts.attributes.range-sort-limit", "3",
                    "contacts.paging.count-limit", "5");
        }
    }

    static String qty;
    static String colour;
    static final List<Long> ALL = new ArrayList<>();
    static final List<Long> QTY_FROM_2 = new ArrayList<>();
    static final List<Long> QTY_FROM_6 = new ArrayList<>();
    static final List<Long> RED_OR_GREEN = new ArrayList<>();

    @BeforeEach
    void seed() {
        if (qty != null) {
            return;
        }
        qty = key("qty");
        colour = key("colour");
        define("{\"key\":\"" + qty + "\",\"label\":\"Qty\",\"type\":\"number\"}");
        define("{\"key\":\"" + colour + "\",\"label\":\"Colour\",\"type\":\"text\"}");
        String[] colours = {"red", "blue", "green"};
        for (int i = 0; i < 9; i++) {
            String value = colours[i % 3];
            long id = contact("{\"" + qty + "\":" + i + ",\"" + colour + "\":\"" + value + "\"}");
            ALL.add(id);
            if (i >= 2) {
                QTY_FROM_2.add(id);
            }
            if (i >= 6) {
                QTY_FROM_6.add(id);
            }
            if (!value.equals("blue")) {
                RED_OR_GREEN.add(id);
            }
        }
        // Created one after another: created_at never decreases while ids grow, so (created_at, id) is id order.
    }

    private static List<Long> ids(io.restassured.response.ValidatableResponse response) {
        return response.statusCode(200).extract().jsonPath().getList("data.id", Long.class);
    }

    private static List<Long> newestFirst(List<Long> ids) {
        return ids.stream().sorted(Comparator.reverseOrder()).toList();
    }

    /** Every page of a cursor walk, two at a time. */
    private static List<Long> walk(String... filter) {
        List<Long> walked = new ArrayList<>();
        String cursor = "";
        do {
            List<String> pairs = new ArrayList<>(List.of(filter));
            pairs.addAll(List.of("per_page", "2", "cursor", cursor));
            var json = list(pairs.toArray(String[]::new)).statusCode(200).extract().jsonPath();
            walked.addAll(json.getList("data.id", Long.class));
            cursor = json.getString("meta.next_cursor");
        } while (cursor != null);
        return walked;
    }

    @Test
    void aRangeMatchingMoreThanTheLimitKeepsTheListingOrder() {
        assertThat(ids(list("attributes[" + qty + "][gte]", "2"))).containsExactlyElementsOf(newestFirst(QTY_FROM_2));
        assertThat(ids(list("attributes[" + qty + "][gte]", "2", "sort", "created_at"))).containsExactlyElementsOf(QTY_FROM_2);
        assertThat(ids(list("attributes[" + qty + "][gt]", "1", "attributes[" + qty + "][lt]", "9")))
                .containsExactlyElementsOf(newestFirst(QTY_FROM_2));
        assertThat(ids(list("attributes[" + qty + "][gte]", "2", "sort", "-name"))).containsExactlyInAnyOrderElementsOf(QTY_FROM_2);
        assertThat(ids(list("attributes[" + qty + "][gte]", "2", "attributes[" + colour + "]", "red,green")))
                .containsExactlyElementsOf(newestFirst(QTY_FROM_2.stream().filter(RED_OR_GREEN::contains).toList()));
    }

    @Test
    void aListOfValuesMatchingMoreThanTheLimitKeepsTheListingOrder() {
        assertThat(ids(list("attributes[" + colour + "]", "red,green"))).containsExactlyElementsOf(newestFirst(RED_OR_GREEN));
        assertThat(ids(list("attributes[" + colour + "]", "green,red", "sort", "created_at"))).containsExactlyElementsOf(RED_OR_GREEN);
        assertThat(walk("attributes[" + colour + "]", "red,red")).containsExactlyElementsOf(newestFirst(
                ALL.stream().filter(id -> RED_OR_GREEN.contains(id) && ALL.indexOf(id) % 3 == 0).toList()));
    }

    @Test
    void aRangeWithinTheLimitIsSortedTheSameWay() {
        assertThat(ids(list("attributes[" + qty + "][gte]", "6"))).containsExactlyElementsOf(newestFirst(QTY_FROM_6));
        assertThat(ids(list("attributes[" + qty + "][gte]", "6", "sort", "created_at"))).containsExactlyElementsOf(QTY_FROM_6);
        assertThat(walk("attributes[" + qty + "][gte]", "6")).containsExactlyElementsOf(newestFirst(QTY_FROM_6));
    }

    @Test
    void pagesAndCursorsSeeEachMatchOnce() {
        assertThat(walk("attributes[" + qty + "][gte]", "2")).containsExactlyElementsOf(newestFirst(QTY_FROM_2));
        assertThat(walk("attributes[" + qty + "][gte]", "2", "sort", "created_at")).containsExactlyElementsOf(QTY_FROM_2);
        assertThat(walk("attributes[" + colour + "]", "red,green")).containsExactlyElementsOf(newestFirst(RED_OR_GREEN));
        List<Long> paged = new ArrayList<>();
        for (int page = 1; page <= 4; page++) {
            var json = list("attributes[" + qty + "][gte]", "2", "per_page", "2", "page", String.valueOf(page))
                    .statusCode(200).extract().jsonPath();
            paged.addAll(json.getList("data.id", Long.class));
            // Counting stops 5 rows past the page's start: 7 matches are a lower bound of 5 from page 1, exact after.
            assertThat(json.getLong("meta.total")).isEqualTo(page == 1 ? 5 : QTY_FROM_2.size());
            assertThat(json.getBoolean("meta.total_exact")).isEqualTo(page != 1);
        }
        assertThat(paged).containsExactlyElementsOf(newestFirst(QTY_FROM_2));
        for (String sort : List.of("-created_at", "created_at")) {
            List<Long> listed = new ArrayList<>();
            for (int page = 1; page <= 3; page++) {
                var json = list("attributes[" + colour + "]", "red,green", "sort", sort, "per_page", "2", "page", String.valueOf(page))
                        .statusCode(200).extract().jsonPath();
                listed.addAll(json.getList("data.id", Long.class));
                assertThat(json.getLong("meta.total")).isEqualTo(page == 1 ? 5 : RED_OR_GREEN.size());
                assertThat(json.getBoolean("meta.total_exact")).isEqualTo(page != 1);
            }
            assertThat(listed).containsExactlyElementsOf(sort.equals("created_at") ? RED_OR_GREEN : newestFirst(RED_OR_GREEN));
        }
    }

    @Test
    void aForgedCursorOfAWindowedFilterIsA400() {
        for (String value : List.of("soon", "99999999999999")) {
            String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("-created_at\n" + value + "\n5").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            list("attributes[" + qty + "][gte]", "2", "cursor", forged).statusCode(400)
                    .body("error", org.hamcrest.Matchers.equalTo("bad_request"))
                    .body("details.cursor", org.hamcrest.Matchers.notNullValue());
            list("attributes[" + colour + "]", "red,green", "cursor", forged).statusCode(400);
        }
    }

    @Test
    void aDateRangeMatchingMoreThanTheLimitWalksInTheListingOrder() {
        String since = key("since");
        define("{\"key\":\"" + since + "\",\"label\":\"Since\",\"type\":\"date\"}");
        List<Long> all = new ArrayList<>();
        for (int day = 1; day <= 8; day++) {
            all.add(contact("{\"" + since + "\":\"2024-03-0" + day + "\"}"));
        }
        List<Long> fromThe3rd = all.subList(2, 8);
        assertThat(ids(list("attributes[" + since + "][gte]", "2024-03-03"))).containsExactlyElementsOf(newestFirst(fromThe3rd));
        assertThat(walk("attributes[" + since + "][gte]", "2024-03-03", "sort", "created_at")).containsExactlyElementsOf(fromThe3rd);
        assertThat(walk("attributes[" + since + "][lt]", "2024-03-07")).containsExactlyElementsOf(newestFirst(all.subList(0, 6)));
        assertThat(walk("attributes[" + since + "][gt]", "2024-03-06")).containsExactlyElementsOf(newestFirst(all.subList(6, 8)));
        assertThat(walk("attributes[" + since + "][gte]", "2024-03-03", "attributes[" + since + "][lt]", "2024-03-07"))
                .containsExactlyElementsOf(newestFirst(all.subList(2, 6)));
    }

    @Test
    void aWindowedFilterCombinesWithSearchAndGroupWithoutLosingMatches() {
        String rank = key("rank");
        define("{\"key\":\"" + rank + "\",\"label\":\"Rank\",\"type\":\"number\"}");
        long group = json("{\"name\":\"Ranked " + rank + "\"}").post("/api/developer/contact-groups")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
        // Letters only: a search term's digits also match phone digits, so a marker with digits would find
        // the newer contacts through their phones (it did, once in CI).
        StringBuilder marker = new StringBuilder("Zq");
        for (char c : rank.replace("_", "").toCharArray()) {
            marker.append(Character.isDigit(c) ? (char) ('g' + (c - '0')) : c);
        }
        List<Long> inGroup = new ArrayList<>();
        List<Long> named = new ArrayList<>();
        // The newest matches are outside the group and the search: a subquery that stopped after a page of the
        // attribute's matches would find none of the older ones that the other filters keep.
        for (int i = 0; i < 12; i++) {
            boolean old = i < 4;
            String body = "{\"name\":\"" + (old ? marker : "Other") + " " + i + "\",\"phone\":\"+" + TestData.uniquePhone() + "\""
                    + (old ? ",\"contact_group_id\":" + group : "") + ",\"custom_attributes\":{\"" + rank + "\":" + (10 + i % 2) + "}}";
            long id = json(body).post("/api/developer/contacts?phone_number_id=109876543210")
                    .then().statusCode(201).extract().<Number>path("data.id").longValue();
            if (old) {
                inGroup.add(id);
                named.add(id);
            }
        }
        assertThat(ids(list("attributes[" + rank + "][gte]", "10", "contact_group_id", String.valueOf(group), "per_page", "2")))
                .containsExactlyElementsOf(newestFirst(inGroup).subList(0, 2));
        assertThat(walk("attributes[" + rank + "][gte]", "10", "contact_group_id", String.valueOf(group)))
                .containsExactlyElementsOf(newestFirst(inGroup));
        assertThat(walk("attributes[" + rank + "]", "10,11", "search", marker.toString())).containsExactlyElementsOf(newestFirst(named));
        assertThat(walk("attributes[" + rank + "]", "11", "contact_group_id", String.valueOf(group)))
                .containsExactlyElementsOf(newestFirst(inGroup.stream().filter(id -> inGroup.indexOf(id) % 2 == 1).toList()));
    }

    @Test
    void listsAndSingleValuesSeeEachMatchOnceWhileContactsAreAdded() throws Exception {
        String shade = key("shade");
        define("{\"key\":\"" + shade + "\",\"label\":\"Shade\",\"type\":\"text\"}");
        String[] shades = {"dark", "light", "pale"};
        List<Long> darkOrPale = new ArrayList<>();
        List<Long> dark = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long id = contact("{\"" + shade + "\":\"" + shades[i % 3] + "\"}");
            if (i % 3 != 1) {
                darkOrPale.add(id);
            }
            if (i % 3 == 0) {
                dark.add(id);
            }
        }
        for (String sort : List.of("-created_at", "created_at")) {
            for (String values : List.of("dark,pale", "dark")) {
                List<Long> expected = values.equals("dark") ? dark : darkOrPale;
                ExecutorService pool = Executors.newSingleThreadExecutor();
                try {
                    Future<?> inserts = pool.submit(() -> {
                        for (int i = 0; i < 6; i++) {
                            contact("{\"" + shade + "\":\"" + shades[i % 3] + "\"}");
                        }
                    });
                    List<Long> walked = walk("attributes[" + shade + "]", values, "sort", sort);
                    inserts.get();
                    assertThat(walked).doesNotHaveDuplicates().containsAll(expected);
                    assertThat(walked.stream().filter(expected::contains).toList())
                            .containsExactlyElementsOf(sort.equals("created_at") ? expected : newestFirst(expected));
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void cursorsSeeEachMatchOnceWhileContactsAreAdded() throws Exception {
        String level = key("level");
        define("{\"key\":\"" + level + "\",\"label\":\"Level\",\"type\":\"number\"}");
        List<Long> matching = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long id = contact("{\"" + level + "\":" + (i % 5) + "}");
            if (i % 5 >= 1) {
                matching.add(id);
            }
        }
        for (String sort : List.of("-created_at", "created_at")) {
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                // Contacts that match, inserted while the walk is under way: no seeded match may repeat or be skipped.
                Future<?> inserts = pool.submit(() -> {
                    for (int i = 0; i < 6; i++) {
                        contact("{\"" + level + "\":" + (1 + i % 4) + "}");
                    }
                });
                List<Long> walked = walk("attributes[" + level + "][gte]", "1", "sort", sort);
                inserts.get();
                assertThat(walked).doesNotHaveDuplicates().containsAll(matching);
                List<Long> seededWalked = walked.stream().filter(matching::contains).toList();
                assertThat(seededWalked).containsExactlyElementsOf(sort.equals("created_at") ? matching : newestFirst(matching));
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
