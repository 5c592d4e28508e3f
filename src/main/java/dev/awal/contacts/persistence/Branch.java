package dev.awal.contacts.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

@Entity
@Table(name = "branches")
public class Branch extends WorkspaceEntity {

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
}
