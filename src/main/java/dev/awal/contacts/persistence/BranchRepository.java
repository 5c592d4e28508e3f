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

    /** Unlinks every branch of a group, with their branch.updated events, in one statement; answers how many. */
    public Uni<Integer> unlinkGroup(String workspace, long groupId) {
        return unlinkAll("branches", "contact_group_id", "branch.updated",
                "jsonb_build_object('branch', events_branch(changed.row))", workspace, groupId);
    }
}
