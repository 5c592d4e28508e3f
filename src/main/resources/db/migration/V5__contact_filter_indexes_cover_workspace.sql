-- Group and branch filters always come with the workspace (tenancy), which these indexes did not
-- hold: counting a group's contacts had to visit the table for every row just to check it. With
-- the workspace as an included column the count is an index-only scan (measured at 1M contacts:
-- ~10 ms -> well under 1 ms for a 1,000-row capped count). The leading column stays the foreign
-- key, so deleting a group or branch still finds its contacts by index.
DROP INDEX contacts_group_created;
CREATE INDEX contacts_group_created ON contacts (contact_group_id, created_at, id) INCLUDE (workspace)
    WHERE contact_group_id IS NOT NULL;
DROP INDEX contacts_branch_created;
CREATE INDEX contacts_branch_created ON contacts (branch_id, created_at, id) INCLUDE (workspace)
    WHERE branch_id IS NOT NULL;
