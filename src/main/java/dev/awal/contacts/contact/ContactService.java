package dev.awal.contacts.contact;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.DatabaseErrors;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.branch.Branch;
import dev.awal.contacts.group.ContactGroup;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/** Contact rules that span several statements: uniqueness, references, optimistic concurrency. */
@ApplicationScoped
public class ContactService {

    static final String PHONE_CONSTRAINT = "contacts_workspace_phone_key";

    @WithSession
    public Uni<Contact> get(String workspace, long id) {
        return Contact.findInWorkspace(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Contact"));
    }

    @WithSession
    public Uni<Page<Contact>> list(String workspace, ContactFilter filter, PageRequest paging) {
        ContactFilter.Query query = filter.where(workspace, paging.cursor());
        var found = Contact.<Contact>find(query.where(), filter.panacheSort(), query.params());
        if (paging.cursorMode()) {
            // One extra row tells whether a next page exists, without counting.
            return found.range(0, paging.perPage()).list()
                    .map(rows -> page(rows, paging, filter, null));
        }
        return found.range(paging.offset(), paging.offset() + paging.perPage() - 1).list()
                .flatMap(rows -> found.count().map(total -> page(rows, paging, filter, total)));
    }

    private static Page<Contact> page(List<Contact> rows, PageRequest paging, ContactFilter filter, Long total) {
        if (total == null) {
            boolean more = rows.size() > paging.perPage();
            List<Contact> items = more ? rows.subList(0, paging.perPage()) : rows;
            String next = more ? filter.cursorAfter(items.get(items.size() - 1)).encode() : null;
            return new Page<>(items, paging.cursorMeta(next));
        }
        boolean more = (long) paging.offset() + rows.size() < total && !rows.isEmpty();
        String next = more ? filter.cursorAfter(rows.get(rows.size() - 1)).encode() : null;
        return new Page<>(rows, paging.pageMeta(total, next));
    }

    /** Creates a contact; a duplicate phone, even one inserted concurrently, is a 409 naming the existing contact. */
    public Uni<Contact> create(String workspace, String phoneNumberId, ContactInput input) {
        return insert(workspace, phoneNumberId, input)
                .onFailure(e -> DatabaseErrors.violates(e, PHONE_CONSTRAINT))
                .recoverWithUni(() -> existingPhoneConflict(workspace, input.phone()));
    }

    @WithTransaction
    Uni<Contact> insert(String workspace, String phoneNumberId, ContactInput input) {
        Contact contact = new Contact();
        contact.workspace = workspace;
        contact.phoneNumberId = phoneNumberId;
        input.applyTo(contact);
        contact.createdAt = now();
        contact.updatedAt = contact.createdAt;
        return checkPhoneFree(workspace, input.phone(), null)
                .call(() -> checkReferences(workspace, input))
                .call(() -> contact.persistAndFlush())
                .onFailure(DatabaseErrors::isForeignKeyViolation).transform(e -> referenceGone())
                .replaceWith(contact);
    }

    /** Applies a partial update; {@code ifMatch} (an ETag) guards against lost updates. */
    public Uni<Contact> update(String workspace, long id, String ifMatch, ContactInput input) {
        return change(workspace, id, ifMatch, input)
                .onFailure(e -> DatabaseErrors.violates(e, PHONE_CONSTRAINT))
                .recoverWithUni(() -> existingPhoneConflict(workspace, input.phone()));
    }

    @WithTransaction
    Uni<Contact> change(String workspace, long id, String ifMatch, ContactInput input) {
        return get(workspace, id)
                .invoke(contact -> checkPrecondition(contact, ifMatch))
                .call(contact -> input.fields().has("phone") ? checkPhoneFree(workspace, input.phone(), id)
                        : Uni.createFrom().voidItem())
                .call(contact -> checkReferences(workspace, input))
                .call(contact -> {
                    if (!input.applyTo(contact)) {
                        return Uni.createFrom().voidItem();
                    }
                    contact.updatedAt = now();
                    return contact.flush();
                })
                .onFailure(DatabaseErrors::isForeignKeyViolation).transform(e -> referenceGone());
    }

    @WithTransaction
    public Uni<Contact> delete(String workspace, long id, String ifMatch) {
        return get(workspace, id)
                .invoke(contact -> checkPrecondition(contact, ifMatch))
                .call(contact -> contact.delete());
    }

    static void checkPrecondition(Contact contact, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return;
        }
        for (String tag : ifMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.equals(contact.etag())) {
                return;
            }
        }
        throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                "The contact has changed since you read it (current ETag " + contact.etag() + ")",
                Map.of("If-Match", "does not match the current ETag " + contact.etag()));
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

    /** Referenced group and branch must exist in the same workspace. */
    private static Uni<Void> checkReferences(String workspace, ContactInput input) {
        Uni<Boolean> groupOk = input.contactGroupId() == null ? Uni.createFrom().item(true)
                : ContactGroup.count("workspace = ?1 and id = ?2", workspace, input.contactGroupId()).map(n -> n > 0);
        Uni<Boolean> branchOk = input.branchId() == null ? Uni.createFrom().item(true)
                : Branch.count("workspace = ?1 and id = ?2", workspace, input.branchId()).map(n -> n > 0);
        return groupOk.flatMap(group -> branchOk.invoke(branch -> {
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
        })).replaceWithVoid();
    }

    private static ApiException referenceGone() {
        return ApiException.invalid(Map.of("contact_group_id", "The selected contact group or branch no longer exists"));
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
