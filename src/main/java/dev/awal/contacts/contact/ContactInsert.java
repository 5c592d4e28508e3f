package dev.awal.contacts.contact;

import java.time.ZoneOffset;
import java.util.List;

import dev.awal.contacts.persistence.Contact;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * POST /contacts as one statement and one round trip: the INSERT, its contact.created event in the
 * outbox (a data-modifying CTE: both or neither) and the check that a referenced group and branch
 * belong to the workspace. It runs on its own, without BEGIN and COMMIT around it, so it is the whole
 * transaction. Duplicates are decided by the unique constraint on (workspace, phone), not by a read
 * before the write; the caller turns its violation into the 409 naming the existing contact.
 *
 * <p>The referenced group and branch rows are share-locked (FOR SHARE, as GroupRepository#holdInWorkspace
 * does; the foreign key's own lock does not conflict with the deletion's), so a deletion either waits
 * for this insert and then unlinks the new contact, or has deleted the row first and this insert finds
 * no reference (a 422).
 */
final class ContactInsert {

    private static final String SQL = """
            WITH c AS (
              INSERT INTO contacts AS t (workspace, name, full_name, phone, email, branch_id, contact_group_id,
                  description, address, is_favorite, avatar_key, phone_number_id, custom_attributes, created_at, updated_at)
              SELECT cast(:workspace as varchar), cast(:name as varchar), cast(:fullName as varchar),
                  cast(:phone as varchar), cast(:email as varchar), cast(:branchId as bigint),
                  cast(:groupId as bigint), cast(:description as varchar), cast(:address as varchar),
                  cast(:favorite as boolean), cast(:avatarKey as varchar), cast(:phoneNumberId as varchar),
                  cast(cast(:customAttributes as text) as jsonb),
                  cast(:now as timestamptz), cast(:now as timestamptz)
              WHERE (cast(:groupId as bigint) IS NULL OR EXISTS (SELECT 1 FROM contact_groups g
                      WHERE g.id = cast(:groupId as bigint) AND g.workspace = cast(:workspace as varchar) FOR SHARE))
                AND (cast(:branchId as bigint) IS NULL OR EXISTS (SELECT 1 FROM branches b
                      WHERE b.id = cast(:branchId as bigint) AND b.workspace = cast(:workspace as varchar) FOR SHARE))
              RETURNING t AS row),
            event AS (
              INSERT INTO events (workspace, type, data)
              SELECT (c.row).workspace, 'contact.created', jsonb_build_object('contact', events_contact(c.row)) FROM c)
            -- custom_attributes as text, as the entity reads it (its @ColumnTransformer)
            SELECT ((c.row).custom_attributes)::text AS custom_attributes,
                (c.row).id, (c.row).workspace, (c.row).name, (c.row).full_name, (c.row).phone, (c.row).email,
                (c.row).branch_id, (c.row).contact_group_id, (c.row).description, (c.row).address, (c.row).is_favorite, (c.row).avatar_key, (c.row).phone_number_id, (c.row).version, (c.row).created_at, (c.row).updated_at, (c.row).search_text FROM c""";

    private ContactInsert() {
    }

    /**
     * Inserts the contact (its fields set, no id yet) with its event; answers the stored row, or null
     * when the referenced group or branch is not one of the workspace's.
     */
    static Uni<Contact> insert(Contact contact) {
        return Panache.getSession().flatMap(session -> {
            var insert = session.createNativeQuery(SQL, Contact.class)
                    .setParameter("workspace", contact.workspace)
                    .setParameter("name", contact.name)
                    .setParameter("fullName", contact.fullName)
                    .setParameter("phone", contact.phone)
                    .setParameter("email", contact.email)
                    .setParameter("branchId", contact.branchId)
                    .setParameter("groupId", contact.contactGroupId)
                    .setParameter("description", contact.description)
                    .setParameter("address", contact.address)
                    .setParameter("favorite", contact.isFavorite)
                    .setParameter("avatarKey", contact.avatarKey)
                    .setParameter("phoneNumberId", contact.phoneNumberId)
                    .setParameter("customAttributes", contact.customAttributes)
                    .setParameter("now", contact.createdAt.atOffset(ZoneOffset.UTC));
            return insert.getResultList();
        }).map(List::stream).map(rows -> rows.findFirst().orElse(null));
    }
}
