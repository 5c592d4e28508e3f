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
import dev.awal.contacts.api.PagingConfig;
import dev.awal.contacts.attributes.AttributeListing;
import dev.awal.contacts.attributes.AttributeQuery;
import dev.awal.contacts.branch.Branch;
import dev.awal.contacts.events.Events;
import dev.awal.contacts.group.ContactGroup;
import dev.awal.contacts.media.MediaSource;
import dev.awal.contacts.media.MediaUploads;
import dev.awal.contacts.media.MediaUploads.Purpose;
import dev.awal.contacts.observability.DomainMetrics;
import dev.awal.contacts.persistence.Clock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
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
    private final PagingConfig pagingConfig;
    private final AttributeListing attributeListing;
    private final Clock clock;

    ContactService(MediaUploads uploads, DomainMetrics metrics, PagingConfig pagingConfig, AttributeListing attributeListing,
            Clock clock) {
        this.attributeListing = attributeListing;
        this.uploads = uploads;
        this.metrics = metrics;
        this.pagingConfig = pagingConfig;
        this.clock = clock;
    }

    @WithSession
    public Uni<Contact> get(String workspace, long id) {
        return Contact.findInWorkspace(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Contact"));
    }

    /** As {@link #list(String, ContactFilter, PageRequest)}, with custom attribute filters and sort (README "Custom attributes"). */
    @WithSession
    public Uni<Page<Contact>> list(String workspace, ContactFilter filter, AttributeQuery attributes, PageRequest paging) {
        return attributes.resolve(workspace).flatMap(resolved -> {
            if (resolved.sortBy() != null) {
                ContactFilter.Query query = filter.where(workspace, null);
                return attributeListing.list(query.where() + resolved.where(), resolved.addTo(query.params()), resolved, paging);
            }
            return list(workspace, filter, paging, resolved);
        });
    }

    @WithSession
    public Uni<Page<Contact>> list(String workspace, ContactFilter filter, PageRequest paging) {
        return list(workspace, filter, paging, AttributeQuery.Resolved.none());
    }

    private Uni<Page<Contact>> list(String workspace, ContactFilter filter, PageRequest paging, AttributeQuery.Resolved attributes) {
        ContactFilter.Query filtered = filter.where(workspace, paging.cursor());
        ContactFilter.Query query = new ContactFilter.Query(filtered.where() + attributes.where(), attributes.addTo(filtered.params()));
        var found = Contact.<Contact>find(query.where(), filter.panacheSort(), query.params());
        if (paging.cursorMode()) {
            // One extra row tells whether a next page exists, without counting.
            return found.range(0, paging.perPage()).list()
                    .map(rows -> page(rows, paging, filter));
        }
        int countLimit = paging.offset() + Math.max(paging.perPage(), pagingConfig.countLimit());
        return ContactPageQuery.fetch(workspace, filter, query, paging, !attributes.where().isEmpty())
                .flatMap(result -> {
                    List<Contact> rows = result.rows();
                    if (result.total() != null) {
                        // A counter's exact total (V17), read in the page's own statement.
                        return Uni.createFrom().item(page(rows, paging, filter, result.total(), true));
                    }
                    if (!rows.isEmpty() && rows.size() < paging.perPage()) {
                        // A partial page is the last one: the total is known without counting.
                        return Uni.createFrom().item(page(rows, paging, filter, paging.offset() + rows.size(), true));
                    }
                    return countUpTo(query, filter, countLimit)
                            .map(counted -> page(rows, paging, filter, Math.min(counted, countLimit), counted <= countLimit));
                });
    }

    /**
     * Counts the matches but stops after {@code limit + 1}, so that a page view never pays for
     * counting a million rows; one more than the limit tells that counting stopped early. The
     * listing's own order lets the database walk the same index as the page query.
     */
    private static Uni<Long> countUpTo(ContactFilter.Query query, ContactFilter filter, int limit) {
        return Panache.getSession().flatMap(session -> {
            var count = session.createSelectionQuery("select count(*) from (select id as id from Contact where "
                    + query.where() + " order by " + filter.orderBy() + " limit :countLimit) counted", Long.class);
            query.params().map().forEach(count::setParameter);
            return count.setParameter("countLimit", limit + 1).getSingleResult();
        });
    }

    private static Page<Contact> page(List<Contact> rows, PageRequest paging, ContactFilter filter) {
        boolean more = rows.size() > paging.perPage();
        List<Contact> items = more ? rows.subList(0, paging.perPage()) : rows;
        String next = more ? filter.cursorAfter(items.get(items.size() - 1)).encode() : null;
        return new Page<>(items, paging.cursorMeta(next));
    }

    private static Page<Contact> page(List<Contact> rows, PageRequest paging, ContactFilter filter, long total,
            boolean exact) {
        // An inexact count stopped past this page, so more rows certainly follow.
        boolean more = !rows.isEmpty() && (!exact || (long) paging.offset() + rows.size() < total);
        String next = more ? filter.cursorAfter(rows.get(rows.size() - 1)).encode() : null;
        return new Page<>(rows, paging.pageMeta(total, exact, next));
    }

    /**
     * Creates a contact; a duplicate phone, even one inserted concurrently, is a 409 naming the existing contact.
     * A new avatar is stored first and deleted again if the row is not written.
     */
    public Uni<Contact> create(String workspace, String phoneNumberId, ContactInput input) {
        return uploads.store(Purpose.AVATAR, input.avatar())
                .flatMap(avatarKey -> DatabaseErrors.retryingDeadlocks(() -> insert(workspace, phoneNumberId, input, avatarKey))
                        .onFailure().call(() -> uploads.discard(avatarKey)))
                .onFailure(e -> DatabaseErrors.violates(e, PHONE_CONSTRAINT))
                .recoverWithUni(() -> existingPhoneConflict(workspace, input.phone()))
                .invoke(created -> metrics.contactCreated());
    }

    /** One statement, one round trip (see {@link ContactInsert}); a missing reference is a 422 naming it. */
    @WithSession
    Uni<Contact> insert(String workspace, String phoneNumberId, ContactInput input, String avatarKey) {
        Contact contact = new Contact();
        contact.workspace = workspace;
        contact.phoneNumberId = phoneNumberId;
        contact.avatarKey = avatarKey;
        contact.createdAt = clock.now();
        contact.updatedAt = contact.createdAt;
        if (input.attributes().isEmpty()) {
            input.applyTo(contact);
            return insertRow(workspace, input, contact);
        }
        // Custom attributes are validated against their definitions, which stay share-locked until the
        // insert commits (a concurrent definition delete waits, then removes the new value too).
        return Panache.withTransaction(() -> input.attributes().hold(workspace)
                .invoke(() -> input.applyTo(contact))
                .chain(() -> insertRow(workspace, input, contact)));
    }

    private static Uni<Contact> insertRow(String workspace, ContactInput input, Contact contact) {
        return ContactInsert.insert(contact)
                .onItem().ifNull().switchTo(() -> references(workspace, input).map(references -> {
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
                        .onFailure().call(() -> uploads.discard(avatarKey)))
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

    /** Replaces the avatar with a stored copy of {@code source} (PUT /contacts/{id}/avatar). */
    public Uni<Contact> replaceAvatar(String workspace, long id, MediaSource source) {
        return uploads.store(Purpose.AVATAR, source)
                .flatMap(avatarKey -> DatabaseErrors.retryingDeadlocks(() -> setAvatar(workspace, id, avatarKey))
                        .onFailure().call(() -> uploads.discard(avatarKey)))
                .call(saved -> uploads.discard(saved.replacedKey()))
                .map(Saved::contact);
    }

    /** Removes the avatar; the object is deleted after the commit. */
    public Uni<Contact> removeAvatar(String workspace, long id) {
        return DatabaseErrors.retryingDeadlocks(() -> setAvatar(workspace, id, null))
                .call(saved -> uploads.discard(saved.replacedKey()))
                .map(Saved::contact);
    }

    @WithTransaction
    Uni<Saved> setAvatar(String workspace, long id, String avatarKey) {
        return lock(workspace, id).flatMap(contact -> {
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
                .call(contact -> Contact.delete("id", contact.id));
    }

    private static Uni<Contact> lock(String workspace, long id) {
        return Contact.lockInWorkspace(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Contact"));
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
        return Contact.findByPhone(workspace, phone)
                .invoke(existing -> {
                    if (existing != null && !existing.id.equals(self)) {
                        throw duplicatePhone(existing.id);
                    }
                })
                .replaceWithVoid();
    }

    @WithSession
    Uni<Contact> existingPhoneConflict(String workspace, String phone) {
        return Contact.findByPhone(workspace, phone)
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
    private static Uni<References> references(String workspace, ContactInput input) {
        Uni<Boolean> groupOk = input.contactGroupId() == null ? Uni.createFrom().item(true)
                : ContactGroup.holdInWorkspace(workspace, input.contactGroupId());
        return groupOk.flatMap(group -> (input.branchId() == null ? Uni.createFrom().item(true)
                : Branch.holdInWorkspace(workspace, input.branchId())).map(branch -> new References(group, branch)));
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
