package dev.awal.contacts.persistence;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.Formula;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "contact_groups")
public class ContactGroup extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String workspace;
    public String name;
    /** 1 active, 0 inactive. */
    public int status = 1;
    /** Bumped by every update; the ETag. */
    @Version
    public int version;
    public Instant createdAt;
    public Instant updatedAt;
    /** Exact, computed by the database when the group is read. */
    @Formula("(select count(*) from contacts c where c.contact_group_id = id)")
    public long contactsCount;

    public String etag() {
        return "\"" + version + "\"";
    }
}
