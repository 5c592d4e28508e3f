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
    /** Exact, computed by the database when the group is read. */
    @Formula("(select count(*) from contacts c where c.contact_group_id = id)")
    public long contactsCount;
}
