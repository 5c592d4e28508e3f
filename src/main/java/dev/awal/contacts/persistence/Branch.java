package dev.awal.contacts.persistence;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

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

    public String etag() {
        return "\"" + version + "\"";
    }
}
