package dev.awal.contacts.persistence;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "contacts")
public class Contact extends WorkspaceEntity {

    public String name;
    public String fullName;
    /** Normalized international digits, no '+': 966501234567. */
    public String phone;
    public String email;
    public Long branchId;
    public Long contactGroupId;
    public String description;
    public String address;
    public boolean isFavorite;
    public String avatarKey;
    public String phoneNumberId;
    /** The custom attributes as validated JSON, {key: value} (README "Custom attributes"); jsonb in the table. */
    @Column(name = "custom_attributes", columnDefinition = "jsonb")
    @ColumnTransformer(read = "custom_attributes::text", write = "cast(cast(? as text) as jsonb)")
    public String customAttributes = "{}";
    /**
     * Folded name, full name and email, maintained by the database for search. Only queries use it,
     * so it is never loaded: lazy, it stays out of every select list.
     */
    @Basic(fetch = FetchType.LAZY)
    @Column(columnDefinition = "text", insertable = false, updatable = false)
    public String searchText;
}
