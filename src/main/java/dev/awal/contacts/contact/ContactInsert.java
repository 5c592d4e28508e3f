package dev.awal.contacts.contact;

import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.PlanStableStatements;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;

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
 *
 * <p>The statement goes straight through the reactive PostgreSQL client ({@link #insert}), its row mapped
 * to the entity by hand: profiled under a create load, Hibernate Reactive's native query was a third of
 * the request's CPU — a session opened and closed around one statement, the result mapped through a
 * dynamic result-set mapping, and above all a query plan that its interpretation cache never finds again
 * (each request parsed the SQL anew and added an entry that every later lookup compared against). A create
 * with custom attributes runs inside the transaction that holds their definitions, so it uses the
 * session's connection ({@link #insertInSession}), with the same statement.
 */
@ApplicationScoped
class ContactInsert {

    /** Parameters $1..$14 in the order of {@link #parameters}; the columns in the order {@link #contact} reads them (search_text is for the entity mapping of {@link #insertInSession}). */
    static final String SQL = """
            WITH c AS (
              INSERT INTO contacts AS t (workspace, name, full_name, phone, email, branch_id, contact_group_id,
                  description, address, is_favorite, avatar_key, phone_number_id, custom_attributes, created_at, updated_at)
              SELECT cast($1 as varchar), cast($2 as varchar), cast($3 as varchar),
                  cast($4 as varchar), cast($5 as varchar), cast($6 as bigint),
                  cast($7 as bigint), cast($8 as varchar), cast($9 as varchar),
                  cast($10 as boolean), cast($11 as varchar), cast($12 as varchar),
                  cast(cast($13 as text) as jsonb),
                  cast($14 as timestamptz), cast($14 as timestamptz)
              WHERE (cast($7 as bigint) IS NULL OR EXISTS (SELECT 1 FROM contact_groups g
                      WHERE g.id = cast($7 as bigint) AND g.workspace = cast($1 as varchar) FOR SHARE))
                AND (cast($6 as bigint) IS NULL OR EXISTS (SELECT 1 FROM branches b
                      WHERE b.id = cast($6 as bigint) AND b.workspace = cast($1 as varchar) FOR SHARE))
              RETURNING t AS row),
            event AS (
              INSERT INTO events (workspace, type, data)
              SELECT (c.row).workspace, 'contact.created', jsonb_build_object('contact', events_contact(c.row)) FROM c)
            SELECT (c.row).id, (c.row).workspace, (c.row).name, (c.row).full_name, (c.row).phone, (c.row).email,
                (c.row).branch_id, (c.row).contact_group_id, (c.row).description, (c.row).address, (c.row).is_favorite,
                (c.row).avatar_key, (c.row).phone_number_id, ((c.row).custom_attributes)::text AS custom_attributes,
                (c.row).version, (c.row).created_at, (c.row).updated_at, (c.row).search_text FROM c""";

    static {
        // Primary-key checks and an insert: one plan whatever the values, kept per connection (StatementCachingPool).
        PlanStableStatements.register(SQL);
    }

    /** The same statement with Hibernate's ordinal parameters (?1..?14) for the session's connection. */
    private static final String SESSION_SQL = Pattern.compile("\\$(\\d+)").matcher(SQL).replaceAll("?$1");

    private final Pool pool;

    ContactInsert(io.vertx.mutiny.sqlclient.Pool pool) {
        // The client's own API, as ContactReads: its future becomes one Uni, without an operator per step.
        this.pool = pool.getDelegate();
    }

    /**
     * Inserts the contact (its fields set, no id yet) with its event, on a connection of its own and as
     * its own transaction; answers the stored row, or null when the referenced group or branch is not one
     * of the workspace's.
     */
    Uni<Contact> insert(Contact contact) {
        // A supplier: the statement is sent on subscription, so a retry sends it again.
        return Uni.createFrom().completionStage(() -> pool.preparedQuery(SQL).execute(Tuple.from(parameters(contact)))
                .map(rows -> {
                    RowIterator<Row> inserted = rows.iterator();
                    return inserted.hasNext() ? contact(inserted.next()) : null;
                }).toCompletionStage());
    }

    /** As {@link #insert}, inside the transaction of the current Panache session. */
    static Uni<Contact> insertInSession(Contact contact) {
        return Panache.getSession().flatMap(session -> {
            var insert = session.createNativeQuery(SESSION_SQL, Contact.class);
            List<Object> values = parameters(contact);
            for (int i = 0; i < values.size(); i++) {
                insert.setParameter(i + 1, values.get(i));
            }
            return insert.getResultList();
        }).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    private static List<Object> parameters(Contact contact) {
        return java.util.Arrays.asList(contact.workspace, contact.name, contact.fullName, contact.phone, contact.email,
                contact.branchId, contact.contactGroupId, contact.description, contact.address, contact.isFavorite,
                contact.avatarKey, contact.phoneNumberId, contact.customAttributes,
                contact.createdAt.atOffset(ZoneOffset.UTC));
    }

    /** The stored row as the entity (detached: nothing changes it after the insert). */
    static Contact contact(Row row) {
        Contact contact = new Contact();
        contact.id = row.getLong(0);
        contact.workspace = row.getString(1);
        contact.name = row.getString(2);
        contact.fullName = row.getString(3);
        contact.phone = row.getString(4);
        contact.email = row.getString(5);
        contact.branchId = row.getLong(6);
        contact.contactGroupId = row.getLong(7);
        contact.description = row.getString(8);
        contact.address = row.getString(9);
        contact.isFavorite = row.getBoolean(10);
        contact.avatarKey = row.getString(11);
        contact.phoneNumberId = row.getString(12);
        contact.customAttributes = row.getString(13);
        contact.version = row.getInteger(14);
        contact.createdAt = row.getOffsetDateTime(15).toInstant();
        contact.updatedAt = row.getOffsetDateTime(16).toInstant();
        return contact;
    }
}
