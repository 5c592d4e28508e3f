package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.attributes.Attrs.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Filtered listings keep the listing's order: an equality filter walks its value in created_at order, a
 * range or a list of values sorts its matches before fetching contacts; pages and cursors see each match once.
 */
@QuarkusTest
class AttributeFilterOrderTest {

    static String qty;
    static String colour;
    static final List<Long> RED = new ArrayList<>();
    static final List<Long> ALL = new ArrayList<>();
    static final List<Long> QTY_FROM_2 = new ArrayList<>();

    @BeforeEach
    void seed() {
        if (qty != null) {
            return;
        }
        qty = key("qty");
        colour = key("colour");
        define("{\"key\":\"" + qty + "\",\"label\":\"Qty\",\"type\":\"number\"}");
        define("{\"key\":\"" + colour + "\",\"label\":\"Colour\",\"type\":\"text\"}");
        for (int i = 0; i < 7; i++) {
            String value = i % 2 == 0 ? "red" : "blue";
            long id = contact("{\"" + qty + "\":" + i + ",\"" + colour + "\":\"" + value + "\"}");
            ALL.add(id);
            if (value.equals("red")) {
                RED.add(id);
            }
            if (i >= 2) {
                QTY_FROM_2.add(id);
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
    void equalityIsNewestFirstByDefaultAndOldestFirstWhenAsked() {
        assertThat(ids(list("attributes[" + colour + "]", "red"))).containsExactlyElementsOf(newestFirst(RED));
        assertThat(ids(list("attributes[" + colour + "]", "red", "sort", "created_at"))).containsExactlyElementsOf(RED);
        assertThat(ids(list("attributes[" + colour + "]", "red,blue"))).containsExactlyElementsOf(newestFirst(ALL));
        assertThat(ids(list("attributes[" + colour + "]", "blue,red", "sort", "created_at"))).containsExactlyElementsOf(ALL);
        assertThat(ids(list("attributes[" + colour + "]", "red", "sort", "name"))).containsExactlyInAnyOrderElementsOf(RED);
    }

    @Test
    void rangesKeepTheListingOrder() {
        assertThat(ids(list("attributes[" + qty + "][gte]", "2"))).containsExactlyElementsOf(newestFirst(QTY_FROM_2));
        assertThat(ids(list("attributes[" + qty + "][gte]", "2", "sort", "-created_at"))).containsExactlyElementsOf(newestFirst(QTY_FROM_2));
        assertThat(ids(list("attributes[" + qty + "][gte]", "2", "sort", "created_at"))).containsExactlyElementsOf(QTY_FROM_2);
        assertThat(ids(list("attributes[" + qty + "][gte]", "2", "sort", "-name"))).containsExactlyInAnyOrderElementsOf(QTY_FROM_2);
        assertThat(ids(list("attributes[" + qty + "][gte]", "2", "attributes[" + colour + "]", "red")))
                .containsExactlyElementsOf(newestFirst(QTY_FROM_2.stream().filter(RED::contains).toList()));
    }

    @Test
    void cursorsAndPagesSeeEachMatchOnce() {
        assertThat(walk("attributes[" + colour + "]", "red")).containsExactlyElementsOf(newestFirst(RED));
        assertThat(walk("attributes[" + qty + "][gte]", "2", "sort", "created_at")).containsExactlyElementsOf(QTY_FROM_2);
        assertThat(walk("attributes[" + colour + "]", "red,blue")).containsExactlyElementsOf(newestFirst(ALL));
        List<Long> paged = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            paged.addAll(ids(list("attributes[" + qty + "][gte]", "2", "per_page", "2", "page", String.valueOf(page))));
        }
        assertThat(paged).containsExactlyElementsOf(newestFirst(QTY_FROM_2));
    }
}
