package dev.awal.contacts.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.Formula;

@Entity
@Table(name = "contact_groups")
public class ContactGroup extends WorkspaceEntity {

    public String name;
    /** 1 active, 0 inactive. */
    public int status = 1;
    /**
     * Exact: the group's counter (V17), kept in the transaction of every contact write, summed over its shards when
     * the group is read. Counting the group's contacts here cost a scan of all of them on every read or lock of a
     * large group.
     */
    @Formula("(select cast(coalesce(sum(k.n), 0) as bigint) from contact_counts k where k.workspace = workspace and k.scope = 'g' and k.scope_id = id)")
    public long contactsCount;
}
