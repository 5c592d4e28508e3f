package dev.awal.contacts.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** Contact groups in the database. */
@ApplicationScoped
public class GroupRepository extends WorkspaceRepository<ContactGroup> {

    private static final String FOLDED_NAME = "cast(contacts_fold(name) as String)";

    @Override
    Class<ContactGroup> type() {
        return ContactGroup.class;
    }

    /** A page of the workspace's groups, newest first: by name search and status (1 active, 0 inactive) when given. */
    public Uni<Page<ContactGroup>> list(String workspace, String search, Integer status, PageRequest paging) {
        return status == null ? newestFirst(workspace, FOLDED_NAME, search, "", new Parameters(), paging)
                : newestFirst(workspace, FOLDED_NAME, search, " and status = :status", Parameters.with("status", status), paging);
    }

    /** The workspace's group with this name, ignoring case, or null. */
    public Uni<ContactGroup> findByName(String workspace, String name) {
        return ContactGroup.<ContactGroup>find("workspace = ?1 and lower(name) = lower(?2)", workspace, name).firstResult();
    }
}
