package dev.awal.contacts.peer;

import java.time.OffsetDateTime;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The service's contacts row, every column but the generated search text, mapped as it is. */
@Entity
@Table(name = "contacts")
public class Contact extends PanacheEntityBase {

    @Id
    public Long id;
    public String workspace;
    public String name;
    public String fullName;
    public String phone;
    public String email;
    public Long branchId;
    public Long contactGroupId;
    public String description;
    public String address;
    public boolean isFavorite;
    public String avatarKey;
    public String phoneNumberId;
    public int version;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
}
