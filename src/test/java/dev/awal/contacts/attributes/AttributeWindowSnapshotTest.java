package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.attributes.Attrs.list;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A listing whose only filter is one attribute reads its page in one snapshot (V26): contacts of the page deleted
 * while the request runs do not make a full page look like the last one. The deletion is placed inside the
 * request: an outside transaction holds contacts locked, the listing waits for that lock once it reaches the
 * contacts (after the attribute's matches are chosen), then the transaction deletes three of the page's contacts
 * and commits. Read in two statements (ids, then contacts by key), the page came back short of its extra row and
 * without a next cursor, ending a cursor walk with contacts still to come.
 */
@QuarkusTest
class AttributeWindowSnapshotTest {

    @Test
    void contactsDeletedDuringTheRequestDoNotEndTheWalk() throws Exception {
        String mark = key("mark");
        define("{\"key\":\"" + mark + "\",\"label\":\"Mark\",\"type\":\"number\"}");
        for (int i = 0; i < 10; i++) {
            contact("{\"" + mark + "\":1}");
        }
        String filter = "attributes[" + mark + "]";
        List<Long> all = list(filter, "1", "per_page", "100", "cursor", "").statusCode(200).extract().jsonPath().getList("data.id", Long.class);
        assertThat(all).hasSize(10);

        CompletableFuture<JsonPath> page;
        try (Connection holder = connect()) {
            holder.setAutoCommit(false);
            try (Statement statement = holder.createStatement()) {
                statement.execute("LOCK TABLE contacts IN ACCESS EXCLUSIVE MODE");
                page = CompletableFuture.supplyAsync(() -> list(filter, "1", "per_page", "4", "cursor", "")
                        .statusCode(200).extract().jsonPath());
                awaitListingWaitingForTheLock();
                // Three of the page's four contacts, while the listing is between choosing its matches and reading them.
                statement.executeUpdate("DELETE FROM contacts WHERE id IN (" + all.get(1) + ", " + all.get(2) + ", " + all.get(3) + ")");
            }
            holder.commit();
        }
        JsonPath first = page.get(60, TimeUnit.SECONDS);
        // The page as of the request's snapshot: its four contacts, and a next page.
        assertThat(first.getList("data.id", Long.class)).containsExactlyElementsOf(all.subList(0, 4));
        String next = first.getString("meta.next_cursor");
        assertThat(next).isNotNull();
        // The walk goes on after the page's last contact (deleted since, its position still orders the rest).
        assertThat(list(filter, "1", "per_page", "4", "cursor", next).statusCode(200).extract().jsonPath().getList("data.id", Long.class))
                .containsExactlyElementsOf(all.subList(4, 8));
    }

    /**
     * Polls until a session waits for a lock in a contact listing (at most 8 s: the service's lock_timeout is 10 s).
     * From a connection of its own in autocommit: within a transaction pg_stat_activity stays as first read.
     */
    private static void awaitListingWaitingForTheLock() throws SQLException, InterruptedException {
        try (Connection observer = connect()) {
            for (int attempt = 0; attempt < 160; attempt++) {
                try (Statement statement = observer.createStatement();
                        ResultSet waiting = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                                + " AND (query ILIKE '%contact_attribute_window%' OR query ILIKE '%from contacts %')")) {
                    waiting.next();
                    if (waiting.getLong(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the listing never reached the locked contacts");
    }

    private static Connection connect() throws SQLException {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
    }
}
