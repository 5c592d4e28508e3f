package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.attributes.Attrs.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A listing's only attribute filter, read as the page's ids by V24's contact_attribute_window: values typed as
 * their column holds them (a number in another scale, a boolean, a date), several bounds of one side of a range
 * (the tightest wins, a strict one over an equal inclusive one), and numbered pages, newest first and oldest first.
 */
@QuarkusTest
class AttributeWindowTest {

    static String amount;
    static String flag;
    static String day;
    /** Contacts in creation order with amount i * 0.5 (0, 0.5, ... 4.5), flag on the even ones, day 2024-01-(i+1). */
    static final List<Long> CREATED = new ArrayList<>();

    @BeforeEach
    void seed() {
        if (amount != null) {
            return;
        }
        amount = key("amount");
        flag = key("flag");
        day = key("day");
        define("{\"key\":\"" + amount + "\",\"label\":\"Amount\",\"type\":\"number\"}");
        define("{\"key\":\"" + flag + "\",\"label\":\"Flag\",\"type\":\"boolean\"}");
        define("{\"key\":\"" + day + "\",\"label\":\"Day\",\"type\":\"date\"}");
        for (int i = 0; i < 10; i++) {
            CREATED.add(contact("{\"" + amount + "\":" + (i * 0.5) + ",\"" + flag + "\":" + (i % 2 == 0) + ",\"" + day
                    + "\":\"2024-01-" + String.format("%02d", i + 1) + "\"}"));
        }
    }

    private static List<Long> ids(String... pairs) {
        return list(pairs).statusCode(200).extract().jsonPath().getList("data.id", Long.class);
    }

    /** The seeded contacts at these indexes, newest first. */
    private static List<Long> newestFirst(int... indexes) {
        List<Long> ids = new ArrayList<>();
        for (int i = indexes.length - 1; i >= 0; i--) {
            ids.add(CREATED.get(indexes[i]));
        }
        return ids;
    }

    @Test
    void valuesMatchAsTheirColumnHoldsThem() {
        assertThat(ids("attributes[" + amount + "]", "1.50")).containsExactly(CREATED.get(3));
        assertThat(ids("attributes[" + amount + "]", "0,4.5,9")).containsExactlyElementsOf(newestFirst(0, 9));
        assertThat(ids("attributes[" + flag + "]", "false", "per_page", "3")).containsExactlyElementsOf(newestFirst(5, 7, 9));
        assertThat(ids("attributes[" + day + "]", "2024-01-05")).containsExactly(CREATED.get(4));
        assertThat(ids("attributes[" + amount + "]", "7")).isEmpty();
    }

    @Test
    void theTightestBoundOfEachSideWins() {
        // >= 1 and > 1 and >= 0.5: above 1; <= 3 and < 3: below 3.
        assertThat(ids("attributes[" + amount + "][gte]", "1", "attributes[" + amount + "][gt]", "1.0",
                "attributes[" + amount + "][lte]", "3", "attributes[" + amount + "][lt]", "3"))
                .containsExactlyElementsOf(newestFirst(3, 4, 5));
        assertThat(ids("attributes[" + amount + "][gte]", "1", "attributes[" + amount + "][lte]", "3"))
                .containsExactlyElementsOf(newestFirst(2, 3, 4, 5, 6));
        assertThat(ids("attributes[" + day + "][gt]", "2024-01-03", "attributes[" + day + "][lte]", "2024-01-05", "sort", "created_at"))
                .containsExactly(CREATED.get(3), CREATED.get(4));
    }

    @Test
    void pagesAndCursorsInBothOrders() {
        assertThat(ids("attributes[" + amount + "][gte]", "1", "page", "2", "per_page", "3"))
                .containsExactlyElementsOf(newestFirst(4, 5, 6));
        assertThat(ids("attributes[" + flag + "]", "true", "sort", "created_at", "page", "2", "per_page", "2"))
                .containsExactly(CREATED.get(4), CREATED.get(6));
        var first = list("attributes[" + amount + "][lt]", "2", "per_page", "2", "cursor", "").statusCode(200).extract().jsonPath();
        assertThat(first.getList("data.id", Long.class)).containsExactlyElementsOf(newestFirst(2, 3));
        String next = first.getString("meta.next_cursor");
        assertThat(ids("attributes[" + amount + "][lt]", "2", "per_page", "2", "cursor", next)).containsExactlyElementsOf(newestFirst(0, 1));
    }
}
