package dev.awal.contacts.persistence;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;

/** Branches in the database. */
@ApplicationScoped
public class BranchRepository extends WorkspaceRepository<Branch> {

    /** Same expression as the branches_search_trgm index. */
    private static final String FOLDED = "cast(contacts_fold(name || ' ' || coalesce(fullName, '') || ' ' || coalesce(email, ''))"
            + " as String)";

    @Override
    Class<Branch> type() {
        return Branch.class;
    }

    /** A page of the workspace's branches, newest first: those whose name, manager or email contain the search, if any. */
    public Uni<Page<Branch>> list(String workspace, String search, PageRequest paging) {
        return newestFirst(workspace, FOLDED, search, "", new Parameters(), paging);
    }
}
