package dev.awal.contacts.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.awal.contacts.attributes.StoredAttributes;
import dev.awal.contacts.persistence.Contact;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Writes events into the outbox ({@code events}, V10) inside the caller's current reactive transaction:
 * each method is one statement on the session the change itself runs in, so the event commits or rolls
 * back with its change. Event data is built by the database from the row as stored after the change
 * (functions events_contact, events_group, events_branch), the same shape set-based statements produce.
 * Callers run these after the change is flushed, as the last statements of the transaction.
 */
public final class Events {

    public static final String CONTACT_CREATED = "contact.created";
    public static final String CONTACT_UPDATED = "contact.updated";
    public static final String CONTACT_DELETED = "contact.deleted";
    public static final String CONTACT_AVATAR_UPDATED = "contact.avatar.updated";
    public static final String GROUP_CREATED = "contact_group.created";
    public static final String GROUP_UPDATED = "contact_group.updated";
    public static final String GROUP_DELETED = "contact_group.deleted";
    public static final String BRANCH_CREATED = "branch.created";
    public static final String BRANCH_UPDATED = "branch.updated";
    public static final String BRANCH_DELETED = "branch.deleted";
    public static final String IMPORT_COMPLETED = "contact_import.completed";

    public static final List<String> TYPES = List.of(CONTACT_CREATED, CONTACT_UPDATED, CONTACT_DELETED,
            CONTACT_AVATAR_UPDATED, GROUP_CREATED, GROUP_UPDATED, GROUP_DELETED, BRANCH_CREATED, BRANCH_UPDATED,
            BRANCH_DELETED, IMPORT_COMPLETED);

    private Events() {
    }

    /** {@code changed}: the API names of the fields whose value changed (see {@link #changedFields}). */
    public static Uni<Void> contactUpdated(long contactId, List<String> changed) {
        return execute("INSERT INTO events (workspace, type, data) SELECT c.workspace, 'contact.updated',"
                + " jsonb_build_object('changed', to_jsonb(string_to_array(cast(:changed as text), ',')),"
                + " 'contact', events_contact(c)) FROM contacts c WHERE c.id = :id",
                Map.of("id", contactId, "changed", String.join(",", changed)));
    }

    public static Uni<Void> contactAvatarUpdated(long contactId) {
        return execute("INSERT INTO events (workspace, type, data) SELECT c.workspace, 'contact.avatar.updated',"
                + " jsonb_build_object('contact', events_contact(c)) FROM contacts c WHERE c.id = :id", Map.of("id", contactId));
    }

    /** A tombstone (id, phone, the version deleted); call before the row is deleted, in the same transaction. */
    public static Uni<Void> contactDeleted(long contactId) {
        return execute("INSERT INTO events (workspace, type, data) SELECT c.workspace, 'contact.deleted',"
                + " jsonb_build_object('id', c.id, 'phone', c.phone, 'version', c.version) FROM contacts c WHERE c.id = :id",
                Map.of("id", contactId));
    }

    public static Uni<Void> groupCreated(long groupId) {
        return groupEvent(GROUP_CREATED, groupId);
    }

    public static Uni<Void> groupUpdated(long groupId) {
        return groupEvent(GROUP_UPDATED, groupId);
    }

    public static Uni<Void> groupDeleted(String workspace, long groupId, int unlinkedContacts, int unlinkedBranches) {
        return execute("INSERT INTO events (workspace, type, data) VALUES (:workspace, 'contact_group.deleted',"
                + " jsonb_build_object('id', cast(:id as bigint), 'unlinked_contacts', cast(:contacts as integer),"
                + " 'unlinked_branches', cast(:branches as integer)))",
                Map.of("workspace", workspace, "id", groupId, "contacts", unlinkedContacts, "branches", unlinkedBranches));
    }

    public static Uni<Void> branchCreated(long branchId) {
        return branchEvent(BRANCH_CREATED, branchId);
    }

    public static Uni<Void> branchUpdated(long branchId) {
        return branchEvent(BRANCH_UPDATED, branchId);
    }

    public static Uni<Void> branchDeleted(String workspace, long branchId, int unlinkedContacts) {
        return execute("INSERT INTO events (workspace, type, data) VALUES (:workspace, 'branch.deleted',"
                + " jsonb_build_object('id', cast(:id as bigint), 'unlinked_contacts', cast(:contacts as integer)))",
                Map.of("workspace", workspace, "id", branchId, "contacts", unlinkedContacts));
    }

    /**
     * contact_import.completed (for completed, failed and cancelled jobs alike): an INSERT … SELECT over
     * {@code endedJobs}, the name of a CTE of import_jobs rows that the same statement has just ended, so the
     * event commits with the job's end. The import worker runs on the reactive pool, not a Panache session.
     */
    public static String importCompletedFrom(String endedJobs) {
        return "INSERT INTO events (workspace, type, data) SELECT j.workspace, '" + IMPORT_COMPLETED + "',"
                + " jsonb_build_object('import', jsonb_build_object('id', j.id, 'status', j.status, 'file_name', j.file_name,"
                + " 'dry_run', j.dry_run, 'failure', j.failure, 'counts', jsonb_build_object('total_rows', j.total_rows,"
                + " 'rows_read', j.committed_rows, 'created', j.created, 'updated', j.updated, 'unchanged', j.unchanged,"
                + " 'skipped', j.skipped, 'failed', j.failed, 'duplicates_in_file', j.duplicates_in_file),"
                + " 'started_at', j.started_at, 'finished_at', j.finished_at)) FROM " + endedJobs + " j";
    }

    private static Uni<Void> groupEvent(String type, long groupId) {
        return execute("INSERT INTO events (workspace, type, data) SELECT g.workspace, '" + type + "',"
                + " jsonb_build_object('contact_group', events_group(g)) FROM contact_groups g WHERE g.id = :id",
                Map.of("id", groupId));
    }

    private static Uni<Void> branchEvent(String type, long branchId) {
        return execute("INSERT INTO events (workspace, type, data) SELECT b.workspace, '" + type + "',"
                + " jsonb_build_object('branch', events_branch(b)) FROM branches b WHERE b.id = :id",
                Map.of("id", branchId));
    }

    private static Uni<Void> execute(String sql, Map<String, Object> params) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql);
            params.forEach(query::setParameter);
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    /** The API-visible fields of a contact, to tell which an update changed. */
    public static Map<String, Object> fields(Contact contact) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", contact.name);
        fields.put("full_name", contact.fullName);
        fields.put("phone", contact.phone);
        fields.put("email", contact.email);
        fields.put("branch_id", contact.branchId);
        fields.put("contact_group_id", contact.contactGroupId);
        fields.put("description", contact.description);
        fields.put("address", contact.address);
        fields.put("is_favorite", contact.isFavorite);
        fields.put("avatar", contact.avatarKey);
        fields.putAll(StoredAttributes.eventFields(contact.customAttributes));
        return fields;
    }

    /** The names of the fields whose value differs between two {@link #fields} snapshots. */
    public static List<String> changedFields(Map<String, Object> before, Map<String, Object> after) {
        List<String> changed = new ArrayList<>();
        before.forEach((name, value) -> {
            if (!Objects.equals(value, after.get(name))) {
                changed.add(name);
            }
        });
        after.keySet().stream().filter(name -> !before.containsKey(name)).forEach(changed::add);
        return changed;
    }
}
