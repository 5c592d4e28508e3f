package dev.awal.contacts.persistence;

import java.io.Serializable;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One shard of an exact contact counter (V17__contact_counters.sql): maintained by triggers in the
 * transaction of every write, read only as a sum inside listing queries ({@link ContactPageQuery}).
 */
@Entity
@Table(name = "contact_counts")
@IdClass(ContactCount.Key.class)
public class ContactCount {

    @Id
    public String workspace;
    /** 'w' the workspace, 'f' its favorites, 'g' a group, 'b' a branch; 'v' the listing version (V23), not a count. */
    @Id
    public String scope;
    /** The group or branch id; 0 for the workspace and its favorites. */
    @Id
    public long scopeId;
    @Id
    public short shard;
    public long n;

    public record Key(String workspace, String scope, long scopeId, short shard) implements Serializable {
    }
}
