package dev.awal.contacts.contact;

import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.attributes.StoredAttributes;
import dev.awal.contacts.persistence.PlanStableStatements;
import io.smallrye.mutiny.Uni;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;

/**
 * Get-by-id, the hottest read, straight through the reactive PostgreSQL client: one statement, its row
 * mapped to the view, with no session, query plan or entity in between. Profiled under load, the
 * Hibernate Reactive path (session, query, entity hydration) was the largest share of the request's CPU
 * besides the HTTP stack itself. The answer is the one every other operation gives about the contact:
 * the same columns in the same view, and the version as its ETag.
 */
@ApplicationScoped
class ContactReads {

    private static final String BY_ID = "SELECT name, full_name, phone, email, branch_id, contact_group_id, description, "
            + "address, is_favorite, avatar_key, phone_number_id, custom_attributes::text, created_at, updated_at, version "
            + "FROM contacts WHERE workspace = $1 AND id = $2";

    static {
        // A primary-key lookup: one plan whatever the values, kept per connection (StatementCachingPool).
        PlanStableStatements.register(BY_ID);
    }

    private final Pool pool;

    ContactReads(io.vertx.mutiny.sqlclient.Pool pool) {
        // The client's own API: its future is mapped in place and becomes one Uni, where the Mutiny
        // wrapper adds an operator per step (each capturing and restoring the propagated context).
        this.pool = pool.getDelegate();
    }

    /** A contact as the API shows it, and its ETag. */
    record Found(ContactView view, String etag) {
    }

    /** The contact {@code id} of {@code workspace} (null when there is none); {@code avatarUrl} turns its avatar key into a URL. */
    Uni<Found> find(String workspace, long id, UnaryOperator<String> avatarUrl) {
        return Uni.createFrom().completionStage(pool.preparedQuery(BY_ID).execute(Tuple.of(workspace, id)).map(rows -> {
            RowIterator<Row> found = rows.iterator();
            return found.hasNext() ? found(id, found.next(), avatarUrl) : null;
        }).toCompletionStage());
    }

    private static Found found(long id, Row row, UnaryOperator<String> avatarUrl) {
        String avatarKey = row.getString(9);
        ContactView view = new ContactView(id, row.getString(0), row.getString(1), row.getString(2), row.getString(3),
                row.getLong(4), row.getLong(5), row.getString(6), row.getString(7), row.getBoolean(8),
                avatarKey == null ? null : avatarUrl.apply(avatarKey), row.getString(10),
                StoredAttributes.view(row.getString(11)), row.getOffsetDateTime(12).toInstant(),
                row.getOffsetDateTime(13).toInstant());
        return new Found(view, "\"" + row.getInteger(14) + "\"");
    }
}
