package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.attributes.Attrs.list;
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

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Range and list-of-values filters on both of their query paths: with a sort limit of 3, a filter matching
 * at most 3 contacts sorts its matches; one matching more walks the listing's own index and probes each
 * contact's value. Both keep the listing's order, and cursors see each match once while contacts are added.
 */
@QuarkusTest
@TestProfile(AttributeBroadFilterTest.SmallSortLimit.class)
class AttributeBroadFilterTest {

    public static class SmallSortLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("contacts.attributes.filter-sort-limit", "3", "contacts.attributes.range-sort-limit", "3");
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
            assertThat(json.getLong("meta.total")).isEqualTo(QTY_FROM_2.size());
            assertThat(json.getBoolean("meta.total_exact")).isTrue();
        }
        assertThat(paged).containsExactlyElementsOf(newestFirst(QTY_FROM_2));
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
