package dev.awal.contacts.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.Rows;
import dev.awal.contacts.support.TestData;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * The repositories against the real database: each test works in a workspace of its own holding one
 * group, one branch and five contacts (two in the group, one in the branch), created a second apart.
 */
@QuarkusTest
class RepositoriesTest {

    @Inject
    ContactRepository contacts;
    @Inject
    GroupRepository groups;
    @Inject
    BranchRepository branches;
    @Inject
    StoredObjectReferences references;
    @Inject
    Vertx vertx;

    private final Instant start = Instant.parse("2024-03-01T10:00:00Z");
    private String workspace;
    private ContactGroup group;
    private Branch branch;
    private final List<Contact> created = new ArrayList<>();

    @BeforeEach
    void oneWorkspace() {
        workspace = "repositories-" + TestData.uniquePhone();
        group = Rows.group(workspace, "Alpha customers", start);
        branch = Rows.branch(workspace, "Riyadh", null, start);
        branch.fileKey = "branch-files/" + workspace;
        inTransaction(() -> group.persist().chain(() -> branch.persist()));
        for (int i = 0; i < 5; i++) {
            Contact contact = Rows.contact(workspace, "Repo contact " + i, i < 2 ? group.id : null, i == 2 ? branch.id : null,
                    start.plusSeconds(i));
            contact.avatarKey = i == 0 ? "avatars/" + workspace : null;
            inTransaction(() -> contact.persist());
            created.add(contact);
        }
    }

    @Test
    void theCappedCountStopsOneRowPastItsLimit() {
        ContactFilter filter = filter(null);
        ContactFilter.Query query = filter.where(workspace, null);
        assertThat(inSession(() -> ContactRepository.countUpTo(query, filter, 2))).isEqualTo(3L);
        assertThat(inSession(() -> ContactRepository.countUpTo(query, filter, 4))).isEqualTo(5L);
        assertThat(inSession(() -> ContactRepository.countUpTo(query, filter, 10))).isEqualTo(5L);
        ContactFilter grouped = ContactFilter.parse(null, String.valueOf(group.id), null, null, null, null);
        assertThat(inSession(() -> ContactRepository.countUpTo(grouped.where(workspace, null), grouped, 10))).isEqualTo(2L);
    }

    @Test
    void pagesComeNewestFirstWithTheirTotalByCounterOrByCount() {
        Page<Contact> counted = inSession(() -> contacts.list(workspace, filter(null), new PageRequest(1, 2, null), "",
                new Parameters()));
        assertThat(counted.items()).extracting(contact -> contact.name).containsExactly("Repo contact 4", "Repo contact 3");
        assertThat(counted.meta().total()).isEqualTo(5L);
        assertThat(counted.meta().totalExact()).isTrue();

        // A search has no counter: the capped count answers, here below its limit.
        Page<Contact> searched = inSession(() -> contacts.list(workspace, filter("repo contact"), new PageRequest(2, 2, null), "",
                new Parameters()));
        assertThat(searched.items()).extracting(contact -> contact.name).containsExactly("Repo contact 2", "Repo contact 1");
        assertThat(searched.meta().total()).isEqualTo(5L);

        // More conditions narrow the listing and leave the counters aside.
        Page<Contact> narrowed = inSession(() -> contacts.list(workspace, filter(null), new PageRequest(1, 20, null),
                " and isFavorite = :favorite and name <> :skipped", Parameters.with("favorite", false).and("skipped", "Repo contact 0")));
        assertThat(narrowed.items()).hasSize(4);
        assertThat(narrowed.meta().total()).isEqualTo(4L);
    }

    @Test
    void cursorPagesReadOneRowPastThePageToKnowWhetherMoreFollow() {
        ContactFilter filter = filter(null);
        Page<Contact> first = inSession(() -> contacts.list(workspace, filter, new PageRequest(1, 2, null), "", new Parameters()));
        List<String> names = new ArrayList<>();
        String next = first.meta().nextCursor();
        first.items().forEach(contact -> names.add(contact.name));
        while (next != null) {
            PageRequest paging = PageRequest.parse(null, "2", next, filter.sortParam());
            Page<Contact> page = inSession(() -> contacts.list(workspace, filter, paging, "", new Parameters()));
            assertThat(page.items()).isNotEmpty();
            page.items().forEach(contact -> names.add(contact.name));
            next = page.meta().nextCursor();
        }
        assertThat(names).containsExactly("Repo contact 4", "Repo contact 3", "Repo contact 2", "Repo contact 1",
                "Repo contact 0");
    }

    @Test
    void rowsAreFoundLockedAndHeldOnlyInTheirWorkspace() {
        assertThat(inSession(() -> groups.holdInWorkspace(workspace, group.id))).isTrue();
        assertThat(inSession(() -> groups.holdInWorkspace("another-" + workspace, group.id))).isFalse();
        assertThat(inSession(() -> branches.holdInWorkspace(workspace, branch.id))).isTrue();
        assertThat(inSession(() -> branches.holdInWorkspace(workspace, group.id + branch.id + 1_000_000))).isFalse();
        assertThat(inTransaction(() -> contacts.lockInWorkspace(workspace, created.get(3).id)).phone)
                .isEqualTo(created.get(3).phone);
        assertThat(inSession(() -> contacts.findInWorkspace("another-" + workspace, created.get(3).id))).isNull();
        assertThat(inSession(() -> contacts.findByPhone(workspace, created.get(1).phone)).id).isEqualTo(created.get(1).id);
        assertThat(inSession(() -> groups.findByName(workspace, "ALPHA CUSTOMERS")).id).isEqualTo(group.id);
    }

    @Test
    void deleteRemovesOnlyTheRowNamed() {
        assertThat(inTransaction(() -> contacts.delete(created.get(4).id))).isEqualTo(1);
        assertThat(inSession(() -> contacts.findInWorkspace(workspace, created.get(4).id))).isNull();
        assertThat(inSession(() -> contacts.findInWorkspace(workspace, created.get(3).id))).isNotNull();
    }

    @Test
    void groupAndBranchListingsSearchFoldedTextNewestFirst() {
        ContactGroup newer = Rows.group(workspace, "Beta", start.plusSeconds(60));
        newer.status = 0;
        inTransaction(() -> newer.persist());

        Page<ContactGroup> all = inSession(() -> groups.list(workspace, null, null, new PageRequest(1, 20, null)));
        assertThat(all.items()).extracting(found -> found.name).containsExactly("Beta", "Alpha customers");
        assertThat(all.meta().total()).isEqualTo(2L);
        assertThat(inSession(() -> groups.list(workspace, "ALPHA", null, new PageRequest(1, 20, null))).items())
                .extracting(found -> found.name).containsExactly("Alpha customers");
        assertThat(inSession(() -> groups.list(workspace, null, 0, new PageRequest(1, 20, null))).items())
                .extracting(found -> found.name).containsExactly("Beta");
        Page<ContactGroup> second = inSession(() -> groups.list(workspace, null, null, new PageRequest(2, 1, null)));
        assertThat(second.items()).extracting(found -> found.name).containsExactly("Alpha customers");
        assertThat(second.meta().total()).isEqualTo(2L);

        assertThat(inSession(() -> branches.list(workspace, "riyadh", new PageRequest(1, 20, null))).items())
                .extracting(found -> found.id).containsExactly(branch.id);
        assertThat(inSession(() -> branches.list(workspace, "jeddah", new PageRequest(1, 20, null))).items()).isEmpty();
    }

    @Test
    void referencedObjectsAreThoseAContactOrABranchPointsAt() {
        String avatar = "avatars/" + workspace;
        String file = "branch-files/" + workspace;
        String orphan = "avatars/orphan-" + workspace;
        assertThat(OnVertx.await(vertx, () -> references.referenced(List.of(avatar, file, orphan))))
                .containsExactlyInAnyOrder(avatar, file);
    }

    private static ContactFilter filter(String search) {
        return ContactFilter.parse(search, null, null, null, null, null);
    }

    private <T> T inSession(Supplier<Uni<T>> work) {
        return OnVertx.await(vertx, () -> Panache.withSession(work::get));
    }

    private <T> T inTransaction(Supplier<Uni<T>> work) {
        return OnVertx.await(vertx, () -> Panache.withTransaction(work::get));
    }
}
