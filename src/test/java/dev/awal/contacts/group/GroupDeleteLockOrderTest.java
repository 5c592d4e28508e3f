package dev.awal.contacts.group;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every writer locks a group, then a branch, then a contact. A group deletion unlinked the group's contacts before its
 * branches: held back at the branch (here by a test's transaction, as a branch deletion or a contact edit naming the
 * branch would hold it), it already held the contacts, and the writer holding the branch then waited for a contact —
 * a deadlock PostgreSQL broke by aborting one of them. Now no contact is locked while the deletion waits for a branch.
 */
@QuarkusTest
class GroupDeleteLockOrderTest {

    private static long create(String path, String body) {
        return json(body).post(path).then().statusCode(201).extract().<Number>path("data.id").longValue();
    }

    @Test
    void aGroupDeletionWaitingForABranchHoldsNoContact() throws Exception {
        String tag = TestData.uniquePhone();
        long group = create("/api/developer/contact-groups", "{\"name\":\"Order " + tag + "\"}");
        long branch = create("/api/developer/branches?phone_number_id=1", "{\"name\":\"Order " + tag + "\",\"contact_group_id\":" + group + "}");
        long contact = create("/api/developer/contacts?phone_number_id=1", "{\"name\":\"Order\",\"phone\":\"+" + tag
                + "\",\"contact_group_id\":" + group + ",\"branch_id\":" + branch + "}");
        try (Connection holder = DatabaseSessions.connect()) {
            holder.setAutoCommit(false);
            try (Statement sql = holder.createStatement()) {
                sql.execute("SELECT 1 FROM branches WHERE id = " + branch + " FOR UPDATE");
                CompletableFuture<Integer> delete = CompletableFuture.supplyAsync(
                        () -> signed().delete("/api/developer/contact-groups/" + group).statusCode());
                DatabaseSessions.awaitLockWait("%branches%");
                try (Connection probe = DatabaseSessions.connect(); Statement check = probe.createStatement()) {
                    check.execute("SELECT 1 FROM contacts WHERE id = " + contact + " FOR UPDATE NOWAIT");
                } catch (SQLException e) {
                    throw new AssertionError("the deletion holds the contact while it waits for the branch (" + e.getSQLState() + ")", e);
                } finally {
                    holder.commit();
                }
                assertThat(delete.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
        }
        signed().get("/api/developer/contacts/" + contact).then().statusCode(200)
                .body("data.contact_group_id", org.hamcrest.Matchers.nullValue());
    }
}
