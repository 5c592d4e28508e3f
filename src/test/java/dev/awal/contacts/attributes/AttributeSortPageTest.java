package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.attributes.Attrs.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Attribute sorts of a whole workspace (V24's function) for each typed column, both directions, with
 * ties: cursor pages and numbered pages give the contacts with a value in value order, then id, exactly
 * as computed here from the values the contacts were created with.
 */
@QuarkusTest
class AttributeSortPageTest {

    static String word;
    static String amount;
    static String seen;
    static String day;
    /** Contact id -> its values (a key absent: no value). */
    static final Map<Long, Map<String, Object>> CONTACTS = new LinkedHashMap<>();

    @BeforeEach
    void seed() {
        if (word != null) {
            return;
        }
        word = key("word");
        amount = key("amount");
        seen = key("seen");
        day = key("day");
        define("{\"key\":\"" + word + "\",\"label\":\"Word\",\"type\":\"text\"}");
        define("{\"key\":\"" + amount + "\",\"label\":\"Amount\",\"type\":\"number\"}");
        define("{\"key\":\"" + seen + "\",\"label\":\"Seen\",\"type\":\"datetime\"}");
        define("{\"key\":\"" + day + "\",\"label\":\"Day\",\"type\":\"date\"}");
        String[] words = {"pear", "apple", "fig", "apple", "kiwi", "fig", "plum"};
        String[] amounts = {"2.5", "-3", "10", "2.5", "0", "-3.25", "100"};
        String[] moments = {"2024-03-01T10:00:00Z", "2023-12-31T23:59:59Z", "2024-03-01T10:00:00Z", "2025-01-01T00:00:00Z",
            "2024-03-01T09:59:59Z", "2022-06-15T12:30:00Z", "2024-03-01T10:00:01Z"};
        String[] days = {"2024-01-02", "2024-01-01", "2024-01-02", "1999-12-31", "2030-05-05", "2024-01-01", "2001-01-01"};
        for (int i = 0; i < words.length; i++) {
            long id = contact("{\"" + word + "\":\"" + words[i] + "\",\"" + amount + "\":" + amounts[i] + ",\"" + seen + "\":\""
                    + moments[i] + "\",\"" + day + "\":\"" + days[i] + "\"}");
            Map<String, Object> values = new LinkedHashMap<>();
            values.put(word, words[i]);
            values.put(amount, new BigDecimal(amounts[i]));
            values.put(seen, Instant.parse(moments[i]));
            values.put(day, Instant.parse(days[i] + "T00:00:00Z"));
            CONTACTS.put(id, values);
        }
        // Without any of them: after every valued contact in either direction.
        contact("{}");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Long> expected(String key, boolean descending) {
        Comparator<Long> byValue = Comparator.comparing(id -> (Comparable) CONTACTS.get(id).get(key));
        Comparator<Long> order = byValue.thenComparing(Function.identity());
        List<Long> ids = new ArrayList<>(CONTACTS.keySet());
        ids.sort(descending ? order.reversed() : order);
        return ids;
    }

    /** The seeded contacts in the order cursor pages of {@code perPage} give them. */
    private static List<Long> walked(String sort, int perPage) {
        List<Long> walked = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            var json = list("sort", sort, "per_page", String.valueOf(perPage), "cursor", cursor).statusCode(200).extract().jsonPath();
            for (Long id : json.getList("data.id", Long.class)) {
                if (CONTACTS.containsKey(id)) {
                    walked.add(id);
                }
            }
            cursor = json.getString("meta.next_cursor");
            // Past the valued contacts the walk continues through the workspace's other contacts.
        } while (cursor != null && walked.size() < CONTACTS.size() && ++pages < 50);
        return walked;
    }

    @Test
    void cursorPagesFollowValueThenIdForEveryColumnAndDirection() {
        for (String key : List.of(word, amount, seen, day)) {
            assertThat(walked("attributes." + key, 2)).as(key).containsExactlyElementsOf(expected(key, false));
            assertThat(walked("-attributes." + key, 3)).as("-" + key).containsExactlyElementsOf(expected(key, true));
        }
    }

    @Test
    void numberedPagesAreTheSameSlices() {
        for (String key : List.of(word, amount, seen)) {
            for (boolean descending : List.of(false, true)) {
                String sort = (descending ? "-" : "") + "attributes." + key;
                List<Long> second = list("sort", sort, "page", "2", "per_page", "3").statusCode(200).extract().jsonPath()
                        .getList("data.id", Long.class);
                assertThat(second).as(sort).containsExactlyElementsOf(expected(key, descending).subList(3, 6));
            }
        }
    }
}
