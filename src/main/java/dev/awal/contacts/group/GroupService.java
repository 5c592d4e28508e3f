package dev.awal.contacts.group;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.DatabaseErrors;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.events.Events;
import dev.awal.contacts.persistence.BranchRepository;
import dev.awal.contacts.persistence.Clock;
import dev.awal.contacts.persistence.ContactRepository;
import dev.awal.contacts.persistence.ContactGroup;
import dev.awal.contacts.persistence.GroupRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class GroupService {

    static final String NAME_CONSTRAINT = "contact_groups_workspace_name_key";

    private final GroupRepository groups;
    private final ContactRepository contacts;
    private final BranchRepository branches;
    private final Clock clock;

    GroupService(GroupRepository groups, ContactRepository contacts, BranchRepository branches, Clock clock) {
        this.groups = groups;
        this.contacts = contacts;
        this.branches = branches;
        this.clock = clock;
    }

    @WithSession
    public Uni<ContactGroup> get(String workspace, long id) {
        return groups.findInWorkspace(workspace, id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Contact group"));
    }

    @WithSession
    public Uni<Page<ContactGroup>> list(String workspace, String search, Integer status, PageRequest paging) {
        return groups.list(workspace, search, status, paging);
    }

    public Uni<ContactGroup> create(String workspace, GroupInput input) {
        return insert(workspace, input).onFailure(e -> DatabaseErrors.violates(e, NAME_CONSTRAINT))
                .transform(e -> duplicateName());
    }

    @WithTransaction
    Uni<ContactGroup> insert(String workspace, GroupInput input) {
        ContactGroup group = new ContactGroup();
        group.workspace = workspace;
        input.applyTo(group);
        group.createdAt = clock.now();
        group.updatedAt = group.createdAt;
        return checkNameFree(workspace, input.name(), null).call(() -> group.persistAndFlush())
                .call(() -> Events.groupCreated(group.id)).replaceWith(group);
    }

    public Uni<ContactGroup> update(String workspace, long id, GroupInput input) {
        return update(workspace, id, null, input);
    }

    /** Applies a partial update; {@code ifMatch} (an ETag) makes it conditional (412 when stale). */
    public Uni<ContactGroup> update(String workspace, long id, String ifMatch, GroupInput input) {
        return DatabaseErrors.retryingDeadlocks(() -> change(workspace, id, ifMatch, input)).onFailure(e -> DatabaseErrors.violates(e, NAME_CONSTRAINT))
                .transform(e -> duplicateName());
    }

    /** The row is locked for the read-modify-write: racing updates take turns, the last one wins. */
    @WithTransaction
    Uni<ContactGroup> change(String workspace, long id, String ifMatch, GroupInput input) {
        return lock(workspace, id)
                .invoke(group -> EntityTags.checkIfMatch("contact group", group.etag(), ifMatch))
                .call(group -> input.name() == null ? Uni.createFrom().voidItem()
                        : checkNameFree(workspace, input.name(), id))
                .call(group -> {
                    if (!input.applyTo(group)) {
                        return Uni.createFrom().voidItem();
                    }
                    group.updatedAt = clock.now();
                    return group.flush().call(() -> Events.groupUpdated(group.id));
                });
    }

    /**
     * Deletes the group; its contacts (and branches) are kept and unlinked in the same transaction.
     * The group row is locked first: links being written hold it shared (GroupRepository#holdInWorkspace)
     * and are waited for, later ones wait for the deletion and then find the group gone (422), and
     * racing deletions take turns (one 200, then 404).
     */
    public Uni<Integer> delete(String workspace, long id) {
        return delete(workspace, id, null);
    }

    /** Deletes the group if it still has the ETag {@code ifMatch} names (412 when stale; absent: unconditional). */
    public Uni<Integer> delete(String workspace, long id, String ifMatch) {
        return DatabaseErrors.retryingDeadlocks(() -> remove(workspace, id, ifMatch));
    }

    @WithTransaction
    Uni<Integer> remove(String workspace, long id, String ifMatch) {
        return lock(workspace, id)
                .invoke(group -> EntityTags.checkIfMatch("contact group", group.etag(), ifMatch))
                // Unlinking writes each contact's and branch's event in the same statement (set-based). Branches first,
                // then contacts: the order every writer locks them in (group, branch, contact). Contacts first deadlocked
                // with a branch deletion or a contact edit naming one of the group's branches.
                .flatMap(group -> branches.unlinkGroup(workspace, id)
                        .flatMap(unlinkedBranches -> contacts.unlinkGroup(workspace, id)
                                .call(unlinkedContacts -> Events.groupDeleted(workspace, id, unlinkedContacts, unlinkedBranches)))
                        .call(() -> groups.delete(id)));
    }

    private Uni<ContactGroup> lock(String workspace, long id) {
        return groups.lockInWorkspace(workspace, id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Contact group"));
    }

    private Uni<Void> checkNameFree(String workspace, String name, Long self) {
        return groups.findByName(workspace, name)
                .invoke(existing -> {
                    if (existing != null && !existing.id.equals(self)) {
                        throw duplicateName();
                    }
                })
                .replaceWithVoid();
    }

    private static ApiException duplicateName() {
        return new ApiException(ErrorCode.DUPLICATE_NAME, "A contact group with this name already exists",
                Map.of("name", "has already been taken"));
    }
}
