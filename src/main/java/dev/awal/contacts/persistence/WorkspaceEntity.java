package dev.awal.contacts.persistence;

import java.time.Instant;

import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** What every row a client manages has: an id, the workspace it belongs to, a version that is its ETag, and its times. */
@MappedSuperclass
public abstract class WorkspaceEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String workspace;
    /** Bumped by every update; the ETag. */
    @Version
    public int version;
    public Instant createdAt;
    public Instant updatedAt;

    public String etag() {
        return "\"" + version + "\"";
    }
}
