package dev.awal.contacts.branch;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

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
    public Instant createdAt;
    public Instant updatedAt;

    public static Uni<Branch> findInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }
}
