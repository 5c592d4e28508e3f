package dev.awal.contacts.branch;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

@Entity
@Table(name = "branches")
public class Branch extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String workspace;
    public String name;
    public String phone;
    public String email;
    public String address;
    public String description;
    /** The API's {@code branch_id}: an id in the client's own systems, not a foreign key. */
    public String externalBranchId;
    public Long contactGroupId;
    /** The branch manager's name. */
    public String fullName;
    public boolean isFavorite;
    public String fileKey;
    public String phoneNumberId;
    /** Bumped by every update; the ETag. */
    @Version
    public int version;
    public Instant createdAt;
    public Instant updatedAt;

    public static Uni<Branch> findInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }

    /** Reads the branch and locks its row for a change or deletion (SELECT ... FOR UPDATE). */
    public static Uni<Branch> lockInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Whether the branch exists in the workspace, keeping it so until the transaction ends (SELECT ...
     * FOR SHARE): a deletion of the branch waits for the link being written, then unlinks it.
     */
    public static Uni<Boolean> holdInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).withLock(LockModeType.PESSIMISTIC_READ).firstResult()
                .map(found -> found != null);
    }

    public String etag() {
        return "\"" + version + "\"";
    }
}
