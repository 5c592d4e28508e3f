package dev.awal.contacts.attributes;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.DatabaseErrors;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.Page;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.persistence.Clock;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/**
 * Definitions of custom attributes. Writers of contact values hold the definitions they use shared
 * ({@link AttributeDefinition#holdKeys}); a change or deletion locks the definition exclusively first,
 * so it waits for values being written and then sees them, and later writers see the new definition.
 */
@ApplicationScoped
public class AttributeService {

    static final String KEY_CONSTRAINT = "contact_attributes_workspace_key_key";

    private final AttributesConfig config;
    private final Clock clock;

    AttributeService(AttributesConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @WithSession
    public Uni<Page<AttributeDefinition>> list(String workspace, PageRequest paging) {
        var query = AttributeDefinition.<AttributeDefinition>find("workspace", Sort.by("key"), workspace);
        return query.range(paging.offset(), paging.offset() + paging.perPage() - 1).list()
                .flatMap(rows -> query.count().map(total -> new Page<>(rows, paging.pageMeta(total, null))));
    }

    @WithSession
    public Uni<AttributeDefinition> get(String workspace, long id) {
        return AttributeDefinition.findInWorkspace(workspace, id).onItem().ifNull().failWith(AttributeService::notFound);
    }

    /** A duplicate key, even one created concurrently, is decided by the unique constraint: 409. */
    public Uni<AttributeDefinition> create(String workspace, AttributeInput input) {
        return insert(workspace, input).onFailure(e -> DatabaseErrors.violates(e, KEY_CONSTRAINT))
                .transform(e -> duplicateKey());
    }

    @WithTransaction
    Uni<AttributeDefinition> insert(String workspace, AttributeInput input) {
        AttributeDefinition definition = new AttributeDefinition();
        definition.workspace = workspace;
        definition.key = input.key();
        definition.type = input.type().api;
        // Text values and enum options are bounded by max_length (default 255); other types have none.
        boolean bounded = input.type() == AttributeType.TEXT || input.type() == AttributeType.ENUM;
        definition.maxLength = bounded ? (input.maxLength() == null ? 255 : input.maxLength()) : null;
        input.applyTo(definition);
        definition.createdAt = clock.now();
        definition.updatedAt = definition.createdAt;
        // Creations in one workspace take turns for the count (a transaction-scoped advisory lock), so
        // concurrent ones cannot all pass the limit together.
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('contact_attributes:' || :workspace))")
                        .setParameter("workspace", workspace).getSingleResult())
                .flatMap(locked -> AttributeDefinition.count("workspace", workspace))
                .invoke(count -> {
                    if (count >= config.maxPerWorkspace()) {
                        throw ApiException.invalid(Map.of("key", "this workspace already has the maximum of "
                                + config.maxPerWorkspace() + " custom attributes; delete one first"));
                    }
                })
                .flatMap(count -> definition.persistAndFlush())
                .replaceWith(definition);
    }

    public Uni<AttributeDefinition> update(String workspace, long id, String ifMatch, AttributeInput input) {
        return DatabaseErrors.retryingDeadlocks(() -> change(workspace, id, ifMatch, input));
    }

    /**
     * An enum losing options, or a text's max_length shrinking, must not strand values contacts hold:
     * 409 with how many contacts hold such values, and nothing changes.
     */
    @WithTransaction
    Uni<AttributeDefinition> change(String workspace, long id, String ifMatch, AttributeInput input) {
        return lock(workspace, id)
                .invoke(definition -> EntityTags.checkIfMatch("custom attribute", definition.etag(), ifMatch))
                .invoke(definition -> checkApplies(definition, input))
                .call(definition -> strandedValues(definition, input).invoke(stranded -> {
                    if (stranded > 0) {
                        throw new ApiException(ErrorCode.ATTRIBUTE_IN_USE, stranded + " contacts hold values of '" + definition.key
                                + "' that the change would make invalid; change or remove those values first",
                                Map.of("contacts", stranded, input.options() != null ? "options" : "max_length",
                                        "would no longer accept values that contacts hold"));
                    }
                }))
                .call(definition -> {
                    if (!input.applyTo(definition)) {
                        return Uni.createFrom().voidItem();
                    }
                    definition.updatedAt = clock.now();
                    return definition.flush();
                });
    }

    private static void checkApplies(AttributeDefinition definition, AttributeInput input) {
        if (input.options() != null && definition.attributeType() != AttributeType.ENUM) {
            throw ApiException.invalid(Map.of("options", "is only for enum attributes"));
        }
        AttributeType type = definition.attributeType();
        if (input.maxLength() != null && type != AttributeType.TEXT && type != AttributeType.ENUM) {
            throw ApiException.invalid(Map.of("max_length", "is only for text and enum attributes"));
        }
        if (type == AttributeType.ENUM) {
            int max = input.maxLength() != null ? input.maxLength() : definition.maxLength == null ? 255 : definition.maxLength;
            List<String> options = input.options() != null ? input.options() : definition.optionList();
            if (options.stream().anyMatch(option -> option.codePointCount(0, option.length()) > max)) {
                throw ApiException.invalid(Map.of("options", "has an option longer than max_length (" + max + ")"));
            }
        }
    }

    /** How many contacts hold a value the changed definition would refuse (by the typed index). */
    private static Uni<Long> strandedValues(AttributeDefinition definition, AttributeInput input) {
        if (input.options() != null) {
            return AttributeValue.count("attributeId = ?1 and textValue is not null and textValue not in ?2", definition.id,
                    input.options());
        }
        int current = definition.maxLength == null ? 255 : definition.maxLength;
        if (definition.attributeType() == AttributeType.TEXT && input.maxLength() != null && input.maxLength() < current) {
            return AttributeValue.count("attributeId = ?1 and textValue is not null and length(textValue) > ?2", definition.id,
                    input.maxLength());
        }
        return Uni.createFrom().item(0L);
    }

    /** Deletes the definition; its values leave every contact in one statement first. Answers how many contacts. */
    public Uni<Integer> delete(String workspace, long id, String ifMatch) {
        return DatabaseErrors.retryingDeadlocks(() -> remove(workspace, id, ifMatch));
    }

    @WithTransaction
    Uni<Integer> remove(String workspace, long id, String ifMatch) {
        return lock(workspace, id)
                .invoke(definition -> EntityTags.checkIfMatch("custom attribute", definition.etag(), ifMatch))
                .flatMap(definition -> clearValues(definition)
                        .call(() -> AttributeDefinition.delete("id", definition.id)));
    }

    /**
     * Removes the key from every contact holding it, found through the typed index, with each contact's
     * contact.updated event, in one statement (the trigger drops the typed rows).
     */
    private static Uni<Integer> clearValues(AttributeDefinition definition) {
        String column = switch (definition.attributeType()) {
            case NUMBER -> "num_value";
            case DATE, DATETIME -> "ts_value";
            default -> "text_value";
        };
        String sql = "WITH changed AS (UPDATE contacts c SET custom_attributes = c.custom_attributes - cast(:key as text),"
                + " updated_at = date_trunc('second', now()), version = c.version + 1"
                + " WHERE c.workspace = :workspace AND c.id IN (SELECT v.contact_id FROM contact_attribute_values v"
                + " WHERE v.attribute_id = :id AND v." + column + " IS NOT NULL) RETURNING c AS row, c.id),"
                + " written AS (INSERT INTO events (workspace, type, data) SELECT :workspace, 'contact.updated',"
                + " jsonb_build_object('changed', jsonb_build_array('custom_attributes.' || cast(:key as text)),"
                + " 'contact', events_contact(changed.row)) FROM changed ORDER BY changed.id)"
                + " SELECT count(*) FROM changed";
        return Panache.getSession().flatMap(session -> session.createNativeQuery(sql, Long.class)
                .setParameter("key", definition.key).setParameter("workspace", definition.workspace)
                .setParameter("id", definition.id).getSingleResult()).map(Long::intValue);
    }

    private static Uni<AttributeDefinition> lock(String workspace, long id) {
        return AttributeDefinition.lockInWorkspace(workspace, id).onItem().ifNull().failWith(AttributeService::notFound);
    }

    private static ApiException notFound() {
        return ApiException.notFound("Custom attribute");
    }

    private static ApiException duplicateKey() {
        return new ApiException(ErrorCode.DUPLICATE_NAME, "A custom attribute with this key already exists",
                Map.of("key", "has already been taken"));
    }
}
