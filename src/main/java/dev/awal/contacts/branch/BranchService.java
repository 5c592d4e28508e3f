package dev.awal.contacts.branch;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.DatabaseErrors;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.events.Events;
import dev.awal.contacts.media.MediaUploads;
import dev.awal.contacts.media.MediaUploads.Purpose;
import dev.awal.contacts.persistence.Branch;
import dev.awal.contacts.persistence.BranchRepository;
import dev.awal.contacts.persistence.Clock;
import dev.awal.contacts.persistence.ContactRepository;
import dev.awal.contacts.persistence.GroupRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Branch rules, and the branch file object that must exist before a row points at it (README "Avatars and branch files"). */
@ApplicationScoped
public class BranchService {

    private final MediaUploads uploads;
    private final BranchRepository branches;
    private final GroupRepository groups;
    private final ContactRepository contacts;
    private final Clock clock;

    BranchService(MediaUploads uploads, BranchRepository branches, GroupRepository groups, ContactRepository contacts,
            Clock clock) {
        this.uploads = uploads;
        this.branches = branches;
        this.groups = groups;
        this.contacts = contacts;
        this.clock = clock;
    }

    @WithSession
    public Uni<Branch> get(String workspace, long id) {
        return branches.findInWorkspace(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Branch"));
    }

    @WithSession
    public Uni<Page<Branch>> list(String workspace, String search, PageRequest paging) {
        return branches.list(workspace, search, paging);
    }

    /** Creates a branch; a new file is stored first and deleted again if the row is not written. */
    public Uni<Branch> create(String workspace, String phoneNumberId, BranchInput input) {
        return uploads.store(Purpose.BRANCH_FILE, input.file())
                .flatMap(fileKey -> DatabaseErrors.retryingDeadlocks(() -> insert(workspace, phoneNumberId, input, fileKey))
                        .onFailure().call(failure -> uploads.discardAfter(failure, fileKey)));
    }

    @WithTransaction
    Uni<Branch> insert(String workspace, String phoneNumberId, BranchInput input, String fileKey) {
        Branch branch = new Branch();
        branch.workspace = workspace;
        branch.phoneNumberId = phoneNumberId;
        input.applyTo(branch);
        branch.fileKey = fileKey;
        branch.createdAt = clock.now();
        branch.updatedAt = branch.createdAt;
        return checkGroup(workspace, input.contactGroupId())
                .call(() -> branch.persistAndFlush())
                .call(() -> Events.branchCreated(branch.id))
                .onFailure(DatabaseErrors::isForeignKeyViolation).transform(e -> groupGone())
                .replaceWith(branch);
    }

    /** Applies a partial update; a new file replaces the old one, which is deleted once the change is committed. */
    public Uni<Branch> update(String workspace, long id, BranchInput input) {
        return update(workspace, id, null, input);
    }

    /** As {@link #update(String, long, BranchInput)}, only while the branch has the ETag {@code ifMatch} names (else 412). */
    public Uni<Branch> update(String workspace, long id, String ifMatch, BranchInput input) {
        return uploads.store(Purpose.BRANCH_FILE, input.file())
                .flatMap(fileKey -> DatabaseErrors.retryingDeadlocks(() -> change(workspace, id, ifMatch, input, fileKey))
                        .onFailure().call(failure -> uploads.discardAfter(failure, fileKey)))
                .call(saved -> uploads.discard(saved.replacedKey()))
                .map(Saved::branch);
    }

    /** A committed branch and the file object it no longer references, if any. */
    record Saved(Branch branch, String replacedKey) {
    }

    /**
     * Locks the referenced group (shared), then the branch, as every writer does; racing updates of
     * the branch take turns and the last one wins.
     */
    @WithTransaction
    Uni<Saved> change(String workspace, long id, String ifMatch, BranchInput input, String fileKey) {
        return holdGroup(workspace, input.contactGroupId())
                .flatMap(groupFound -> lock(workspace, id).invoke(branch -> {
                    EntityTags.checkIfMatch("branch", branch.etag(), ifMatch);
                    if (!groupFound) {
                        throw groupGone();
                    }
                }))
                .flatMap(branch -> {
                    String previousKey = branch.fileKey;
                    boolean changed = input.applyTo(branch);
                    if (fileKey != null) {
                        branch.fileKey = fileKey;
                        changed = true;
                    }
                    Saved saved = new Saved(branch, fileKey != null ? previousKey : null);
                    if (!changed) {
                        return Uni.createFrom().item(saved);
                    }
                    branch.updatedAt = clock.now();
                    return branch.flush().call(() -> Events.branchUpdated(branch.id)).replaceWith(saved);
                })
                .onFailure(DatabaseErrors::isForeignKeyViolation).transform(e -> groupGone());
    }

    /** Deletes the branch (its contacts are kept and unlinked in the same transaction), then its file. */
    public Uni<Integer> delete(String workspace, long id) {
        return delete(workspace, id, null);
    }

    /** As {@link #delete(String, long)}, only while the branch has the ETag {@code ifMatch} names (else 412). */
    public Uni<Integer> delete(String workspace, long id, String ifMatch) {
        return DatabaseErrors.retryingDeadlocks(() -> remove(workspace, id, ifMatch)).flatMap(removed -> uploads.discard(removed.branch().fileKey)
                .replaceWith(removed.unlinkedContacts()));
    }

    record Removed(Branch branch, int unlinkedContacts) {
    }

    /**
     * The branch row is locked first: contacts being linked hold it shared (BranchRepository#holdInWorkspace)
     * and are waited for, then unlinked; racing deletions take turns (one 200, then 404).
     */
    @WithTransaction
    Uni<Removed> remove(String workspace, long id, String ifMatch) {
        return lock(workspace, id)
                .invoke(branch -> EntityTags.checkIfMatch("branch", branch.etag(), ifMatch))
                // Unlinking writes each contact's event in the same statement (set-based).
                .flatMap(branch -> contacts.unlinkBranch(workspace, id)
                .call(unlinked -> Events.branchDeleted(workspace, id, unlinked))
                .call(() -> branches.delete(id))
                .map(unlinked -> new Removed(branch, unlinked)));
    }

    private Uni<Branch> lock(String workspace, long id) {
        return branches.lockInWorkspace(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Branch"));
    }

    /** Whether the group exists (true when none is referenced), share-locked until the transaction ends. */
    private Uni<Boolean> holdGroup(String workspace, Long groupId) {
        return groupId == null ? Uni.createFrom().item(true) : groups.holdInWorkspace(workspace, groupId);
    }

    private Uni<Void> checkGroup(String workspace, Long groupId) {
        return holdGroup(workspace, groupId).invoke(found -> {
            if (!found) {
                throw groupGone();
            }
        }).replaceWithVoid();
    }

    private static ApiException groupGone() {
        return ApiException.invalid(Map.of("contact_group_id", "The selected contact group does not exist"));
    }
}
