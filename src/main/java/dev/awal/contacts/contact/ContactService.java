package dev.awal.contacts.contact;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.DatabaseErrors;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.attributes.AttributeListing;
import dev.awal.contacts.attributes.AttributeQuery;
import dev.awal.contacts.events.Events;
import dev.awal.contacts.media.MediaSource;
import dev.awal.contacts.media.MediaUploads;
import dev.awal.contacts.media.MediaUploads.Purpose;
import dev.awal.contacts.observability.DomainMetrics;
import dev.awal.contacts.persistence.BranchRepository;
import dev.awal.contacts.persistence.Clock;
import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.ContactFilter;
import dev.awal.contacts.persistence.ContactRepository;
import dev.awal.contacts.persistence.GroupRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/**
 * Contact rules that span several statements: uniqueness, references, optimistic concurrency, and the
 * avatar object that must exist before a row points at it (README "Avatars and branch files").
 */
@ApplicationScoped
public class ContactService {

    static final String PHONE_CONSTRAINT = "contacts_workspace_phone_key";

    private final MediaUploads uploads;
    private final DomainMetrics metrics;
    private final AttributeListing attributeListing;
    private final ContactRepository contacts;
    private final GroupRepository groups;
    private final BranchRepository branches;
    private final Clock clock;
    private final ContactInsert inserts;

    ContactService(MediaUploads uploads, DomainMetrics metrics, AttributeListing attributeListing, ContactRepository contacts,
            GroupRepository groups, BranchRepository branches, Clock clock, ContactInsert inserts) {
        this.inserts = inserts;
        this.attributeListing = attributeListing;
        this.uploads = uploads;
        this.metrics = metrics;
        this.contacts = contacts;
        this.groups = groups;
        this.branches = branches;
        this.clock = clock;
    }

    /** As {@link #list(String, ContactFilter, PageRequest)}, with custom attribute filters and sort (README "Custom attributes"). */
    @WithSession
    public Uni<Page<Contact>> list(String workspace, ContactFilter filter, AttributeQuery attributes, PageRequest paging) {
        return attributes.resolve(workspace, filter, paging).flatMap(resolved -> {
            if (resolved.sortBy() != null) {
                ContactFilter.Query query = filter.where(workspace, null);
                return attributeListing.list(query.where() + resolved.where(), resolved.addTo(query.params()), resolved, paging);
            }
            if (resolved.window() != null) {
                return attributeListing.windowed(workspace, filter, resolved, paging);
            }
            return contacts.list(workspace, filter, paging, resolved.where(), resolved.params(), resolved.counter());
        });
    }

    @WithSession
    public Uni<Page<Contact>> list(String workspace, ContactFilter filter, PageRequest paging) {
        return contacts.list(workspace, filter, paging, "", new Parameters());
    }

    /**
     * Creates a contact; a duplicate phone, even one inserted concurrently, is a 409 naming the existing contact.
     * A new avatar is stored first and deleted again if the row is not written.
     */
    public Uni<Contact> create(String workspace, String phoneNumberId, ContactInput input) {
        // Without an avatar there is nothing to store first or discard after: the insert alone, fewer operators.
        Uni<Contact> inserted = input.avatar() == null
                ? DatabaseErrors.retryingDeadlocks(() -> insert(workspace, phoneNumberId, input, null))
                : uploads.store(Purpose.AVATAR, input.avatar())
                        .flatMap(avatarKey -> DatabaseErrors.retryingDeadlocks(() -> insert(workspace, phoneNumberId, input, avatarKey))
                                .onFailure().call(failure -> uploads.discardAfter(failure, avatarKey)));
        return inserted
                .onFailure(e -> DatabaseErrors.violates(e, PHONE_CONSTRAINT))
                .recoverWithUni(() -> existingPhoneConflict(workspace, input.phone()))
                .invoke(created -> metrics.contactCreated());
    }

    /**
     * One statement, one round trip (see {@link ContactInsert}); a missing reference is a 422 naming it.
     * Without custom attributes the statement is the whole transaction and needs no session; with them it
     * runs in the transaction that holds their definitions.
     */
    Uni<Contact> insert(String workspace, String phoneNumberId, ContactInput input, String avatarKey) {
        Contact contact = new Contact();
        contact.workspace = workspace;
        contact.phoneNumberId = phoneNumberId;
        contact.avatarKey = avatarKey;
        contact.createdAt = clock.now();
        contact.updatedAt = contact.createdAt;
        if (input.attributes().isEmpty()) {
            input.applyTo(contact);
            return checked(workspace, input, inserts.insert(contact));
        }
        // Custom attributes are validated against their definitions, which stay share-locked until the
        // insert commits (a concurrent definition delete waits, then removes the new value too).
        return Panache.withTransaction(() -> input.attributes().hold(workspace)
                .invoke(() -> input.applyTo(contact))
                .chain(() -> checked(workspace, input, ContactInsert.insertInSession(contact))));
    }

    /** The inserted row; no row means a referenced group or branch is not the workspace's (422 naming which). */
    private Uni<Contact> checked(String workspace, ContactInput input, Uni<Contact> inserted) {
        return inserted
                .onItem().ifNull().switchTo(() -> Panache.withSession(() -> references(workspace, input)).map(references -> {
                    references.throwIfMissing();
                    throw referenceGone();
                }))
                .onFailure(DatabaseErrors::isForeignKeyViolation).transform(e -> referenceGone());
    }

    /**
     * Applies a partial update; {@code ifMatch} (an ETag) guards against lost updates. A new avatar is
     * stored before the row changes; the one it replaces is deleted once the change is committed.
     */
    public Uni<Contact> update(String workspace, long id, String ifMatch, ContactInput input) {
        return uploads.store(Purpose.AVATAR, input.avatar())
                .flatMap(avatarKey -> DatabaseErrors.retryingDeadlocks(() -> change(workspace, id, ifMatch, input, avatarKey))
                        .onFailure().call(failure -> uploads.discardAfter(failure, avatarKey)))
                .call(saved -> uploads.discard(saved.replacedKey()))
                .map(Saved::contact)
                .onFailure(e -> DatabaseErrors.violates(e, PHONE_CONSTRAINT))
                .recoverWithUni(() -> existingPhoneConflict(workspace, input.phone()));
    }

    /** A committed contact and the avatar object it no longer references, if any. */
    record Saved(Contact contact, String replacedKey) {
    }

    /**
     * Locks (in this order, as every writer does, so that writers never wait for each other in a
     * circle) the referenced group and branch, then the contact; the checks after the locks are
     * decided on committed, unchanging rows.
     */
    @WithTransaction
    Uni<Saved> change(String workspace, long id, String ifMatch, ContactInput input, String avatarKey) {
        return references(workspace, input)
                .call(() -> input.attributes().hold(workspace))
                .flatMap(references -> lock(workspace, id)
                        .invoke(contact -> checkPrecondition(contact, ifMatch))
                        .invoke(contact -> references.throwIfMissing()))
                .call(contact -> input.fields().has("phone") ? checkPhoneFree(workspace, input.phone(), id)
                        : Uni.createFrom().voidItem())
                .flatMap(contact -> {
                    String previousKey = contact.avatarKey;
                    Map<String, Object> before = Events.fields(contact);
                    boolean applied = input.applyTo(contact);
                    if (avatarKey != null) {
                        contact.avatarKey = avatarKey;
                    }
                    boolean changed = applied || avatarKey != null;
                    List<String> changedFields = Events.changedFields(before, Events.fields(contact));
                    return saveIf(changed, contact)
                            .call(saved -> changed ? Events.contactUpdated(saved.id, changedFields) : Uni.createFrom().voidItem())
                            .map(saved -> new Saved(saved, avatarKey != null ? previousKey : null));
                })
                .onFailure(DatabaseErrors::isForeignKeyViolation).transform(e -> referenceGone());
    }

    /**
     * Replaces the avatar with a stored copy of {@code source} (PUT /contacts/{id}/avatar), if the contact still has the
     * ETag {@code ifMatch} names (412 when stale, and the stored copy is deleted again; absent: unconditional).
     */
    public Uni<Contact> replaceAvatar(String workspace, long id, MediaSource source, String ifMatch) {
        return uploads.store(Purpose.AVATAR, source)
                .flatMap(avatarKey -> DatabaseErrors.retryingDeadlocks(() -> setAvatar(workspace, id, avatarKey, ifMatch))
                        .onFailure().call(failure -> uploads.discardAfter(failure, avatarKey)))
                .call(saved -> uploads.discard(saved.replacedKey()))
                .map(Saved::contact);
    }

    /** Removes the avatar, as {@link #replaceAvatar} honours If-Match; the object is deleted after the commit. */
    public Uni<Contact> removeAvatar(String workspace, long id, String ifMatch) {
        return DatabaseErrors.retryingDeadlocks(() -> setAvatar(workspace, id, null, ifMatch))
                .call(saved -> uploads.discard(saved.replacedKey()))
                .map(Saved::contact);
    }

    @WithTransaction
    Uni<Saved> setAvatar(String workspace, long id, String avatarKey, String ifMatch) {
        return lock(workspace, id).invoke(contact -> checkPrecondition(contact, ifMatch)).flatMap(contact -> {
            String previousKey = contact.avatarKey;
            contact.avatarKey = avatarKey;
            boolean changed = !Objects.equals(previousKey, avatarKey);
            return saveIf(changed, contact)
                    .call(saved -> changed ? Events.contactAvatarUpdated(saved.id) : Uni.createFrom().voidItem())
                    .map(saved -> new Saved(saved, previousKey));
        });
    }

    /** Deletes a contact permanently, then its avatar object. */
    public Uni<Contact> delete(String workspace, long id, String ifMatch) {
        return DatabaseErrors.retryingDeadlocks(() -> remove(workspace, id, ifMatch))
                .invoke(deleted -> metrics.contactDeleted())
                .call(contact -> uploads.discard(contact.avatarKey));
    }

    /**
     * With the row locked, racing deletes take turns: the first deletes, the others then find no row
     * (404). Before, each read the row unlocked and let Hibernate's version check catch the loser at
     * commit; that failure path could leave the transaction open and the request unanswered.
     */
    @WithTransaction
    Uni<Contact> remove(String workspace, long id, String ifMatch) {
        return lock(workspace, id)
                .invoke(contact -> checkPrecondition(contact, ifMatch))
                .call(contact -> Events.contactDeleted(contact.id))
                .call(contact -> contacts.delete(contact.id));
    }

    private Uni<Contact> lock(String workspace, long id) {
        return contacts.lockInWorkspace(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Contact"));
    }

    private Uni<Contact> saveIf(boolean changed, Contact contact) {
        if (!changed) {
            return Uni.createFrom().item(contact);
        }
        contact.updatedAt = clock.now();
        return contact.flush().replaceWith(contact);
    }

    static void checkPrecondition(Contact contact, String ifMatch) {
        EntityTags.checkIfMatch("contact", contact.etag(), ifMatch);
    }

    private Uni<Void> checkPhoneFree(String workspace, String phone, Long self) {
        return contacts.findByPhone(workspace, phone)
                .invoke(existing -> {
                    if (existing != null && !existing.id.equals(self)) {
                        throw duplicatePhone(existing.id);
                    }
                })
                .replaceWithVoid();
    }

    @WithSession
    Uni<Contact> existingPhoneConflict(String workspace, String phone) {
        return contacts.findByPhone(workspace, phone)
                .map(existing -> {
                    throw existing == null ? new ApiException(ErrorCode.DUPLICATE_PHONE,
                            "This phone number already belongs to a contact") : duplicatePhone(existing.id);
                });
    }

    private static ApiException duplicatePhone(long existingId) {
        return new ApiException(ErrorCode.DUPLICATE_PHONE, "This phone number already belongs to a contact",
                Map.of("existing_contact_id", existingId, "phone", "has already been taken"));
    }

    /**
     * Referenced group and branch must exist in the same workspace; they are share-locked until the
     * transaction ends, so a concurrent deletion of either waits and then unlinks this contact.
     */
    private Uni<References> references(String workspace, ContactInput input) {
        Uni<Boolean> groupOk = input.contactGroupId() == null ? Uni.createFrom().item(true)
                : groups.holdInWorkspace(workspace, input.contactGroupId());
        return groupOk.flatMap(group -> (input.branchId() == null ? Uni.createFrom().item(true)
                : branches.holdInWorkspace(workspace, input.branchId())).map(branch -> new References(group, branch)));
    }

    /** Whether the referenced group and branch exist (true when none is referenced). */
    record References(boolean group, boolean branch) {
        void throwIfMissing() {
            Map<String, String> errors = new java.util.LinkedHashMap<>();
            if (!group) {
                errors.put("contact_group_id", "The selected contact group does not exist");
            }
            if (!branch) {
                errors.put("branch_id", "The selected branch does not exist");
            }
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors);
            }
        }
    }

    private static ApiException referenceGone() {
        return ApiException.invalid(Map.of("contact_group_id", "The selected contact group or branch no longer exists"));
    }
}
