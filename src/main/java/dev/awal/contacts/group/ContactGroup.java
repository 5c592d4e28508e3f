package dev.awal.contacts.group;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.Formula;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

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

    public static Uni<ContactGroup> findInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }

    /** Reads the group and locks its row for a change or deletion (SELECT ... FOR UPDATE). */
    public static Uni<ContactGroup> lockInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Whether the group exists in the workspace, keeping it so until the transaction ends (SELECT ...
     * FOR SHARE): a deletion of the group waits for the link being written, then unlinks it.
     */
    public static Uni<Boolean> holdInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).withLock(LockModeType.PESSIMISTIC_READ).firstResult()
                .map(found -> found != null);
    }

    public String etag() {
        return "\"" + version + "\"";
    }
}
