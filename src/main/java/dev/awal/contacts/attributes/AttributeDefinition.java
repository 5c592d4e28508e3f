package dev.awal.contacts.attributes;

import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import dev.awal.contacts.persistence.WorkspaceEntity;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** A workspace's definition of one custom attribute (V13__custom_attributes.sql). */
@Entity
@Table(name = "contact_attributes")
public class AttributeDefinition extends WorkspaceEntity {

    public String key;
    public String label;
    /** The API name of an {@link AttributeType}. */
    public String type;
    /** Text only: the longest value, in characters. */
    public Integer maxLength;
    /** Enum only: the options, one per line. */
    public String options;
    public String description;

    public AttributeType attributeType() {
        return AttributeType.of(type);
    }

    public List<String> optionList() {
        return options == null ? List.of() : Arrays.asList(options.split("\n"));
    }

    static Uni<AttributeDefinition> findInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).firstResult();
    }

    static Uni<AttributeDefinition> lockInWorkspace(String workspace, long id) {
        return find("workspace = ?1 and id = ?2", workspace, id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The workspace's definitions of these keys (all of them when {@code keys} is empty). */
    public static Uni<List<AttributeDefinition>> ofKeys(String workspace, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return list("workspace = ?1 and key in ?2", Sort.by("key"), workspace, keys);
    }

    /**
     * As {@link #ofKeys}, kept unchanged until the transaction ends (SELECT ... FOR SHARE): a concurrent
     * deletion or incompatible change of a definition waits for the values being written, then sees them.
     */
    public static Uni<List<AttributeDefinition>> holdKeys(String workspace, List<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return find("workspace = ?1 and key in ?2", Sort.by("key"), workspace, keys)
                .withLock(LockModeType.PESSIMISTIC_READ).list();
    }
}
