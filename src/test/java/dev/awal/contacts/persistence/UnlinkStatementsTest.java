package dev.awal.contacts.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.Rows;
import dev.awal.contacts.support.TestData;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The set-based unlinking a group or branch deletion runs, against the real database: every linked row
 * of the workspace loses the link and gets a new version and its event in the same statement; nothing
 * else changes.
 */
@QuarkusTest
class UnlinkStatementsTest {

    @Inject
    ContactRepository contacts;
    @Inject
    BranchRepository branches;
    @Inject
    Vertx vertx;

    private final Instant start = Instant.parse("2024-03-01T10:00:00Z");
    private String workspace;
    private ContactGroup group;
    private ContactGroup otherGroup;
    private Branch branch;
    private final List<Contact> created = new ArrayList<>();

    @BeforeEach
    void oneWorkspace() {
        workspace = "unlink-" + TestData.uniquePhone();
        group = Rows.group(workspace, "Linked", start);
        otherGroup = Rows.group(workspace, "Other", start);
        inTransaction(() -> group.persist().chain(() -> otherGroup.persist()));
        branch = Rows.branch(workspace, "Riyadh", group.id, start);
        inTransaction(() -> branch.persist());
        // Contacts 0 and 1 in the group, 2 in the other group and the branch, 3 in nothing.
        for (int i = 0; i < 4; i++) {
            Contact contact = Rows.contact(workspace, "Unlink " + i, i < 2 ? group.id : i == 2 ? otherGroup.id : null,
                    i == 2 ? branch.id : null, start.plusSeconds(i));
            inTransaction(() -> contact.persist());
            created.add(contact);
        }
    }

    @Test
    void unlinkingAGroupUnlinksItsContactsAndBranchesWithTheirEvents() {
        assertThat(inTransaction(() -> contacts.unlinkGroup(workspace, group.id))).isEqualTo(2);
        assertThat(inTransaction(() -> branches.unlinkGroup(workspace, group.id))).isEqualTo(1);

        for (int i = 0; i < 2; i++) {
            Contact after = contact(i);
            assertThat(after.contactGroupId).isNull();
            assertThat(after.version).isEqualTo(created.get(i).version + 1);
        }
        assertThat(contact(2).contactGroupId).isEqualTo(otherGroup.id);
        assertThat(contact(2).version).isEqualTo(created.get(2).version);
        assertThat(events("contact.updated")).containsExactlyInAnyOrder(
                String.valueOf(created.get(0).id), String.valueOf(created.get(1).id));
        assertThat(DatabaseSessions.query("select count(*) from branches where workspace = ? and contact_group_id is null",
                workspace)).containsExactly("1");
        assertThat(DatabaseSessions.query("select count(*) from events where workspace = ? and type = 'branch.updated'",
                workspace)).containsExactly("1");
    }

    @Test
    void unlinkingABranchUnlinksOnlyItsContacts() {
        assertThat(inTransaction(() -> contacts.unlinkBranch(workspace, branch.id))).isEqualTo(1);
        assertThat(contact(2).branchId).isNull();
        assertThat(contact(2).contactGroupId).isEqualTo(otherGroup.id);
        assertThat(events("contact.updated")).containsExactly(String.valueOf(created.get(2).id));
        // Another workspace's group of the same id unlinks nothing here.
        assertThat(inTransaction(() -> contacts.unlinkGroup("another-" + workspace, group.id))).isZero();
        assertThat(contact(0).contactGroupId).isEqualTo(group.id);
    }

    private Contact contact(int index) {
        return OnVertx.await(vertx, () -> Panache.withSession(() -> contacts.findInWorkspace(workspace, created.get(index).id)));
    }

    /** The contact ids of this workspace's events of one type. */
    private List<String> events(String type) {
        return DatabaseSessions.query("select data -> 'contact' ->> 'id' from events where workspace = ? and type = ?",
                workspace, type);
    }

    private <T> T inTransaction(Supplier<Uni<T>> work) {
        return OnVertx.await(vertx, () -> Panache.withTransaction(work::get));
    }
}
