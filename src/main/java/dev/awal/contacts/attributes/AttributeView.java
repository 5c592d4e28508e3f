package dev.awal.contacts.attributes;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "ContactAttribute", description = "A custom attribute definition. Every field is always present; unset ones are null.")
public record AttributeView(
        @Schema(required = true, examples = "5") long id,
        @Schema(required = true, examples = "tier") String key,
        @Schema(required = true, examples = "Customer tier") String label,
        @Schema(required = true, enumeration = { "text", "number", "boolean", "date", "datetime", "enum" }, examples = "enum") String type,
        @Schema(required = true, nullable = true, description = "text and enum: the longest value (option) in characters", examples = "255") Integer maxLength,
        @Schema(required = true, nullable = true, description = "enum only: the allowed values", examples = "[\"gold\", \"silver\", \"bronze\"]") List<String> options,
        @Schema(required = true, nullable = true, examples = "Loyalty tier from the CRM") String description,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision", examples = "2024-01-15T10:30:00Z") Instant createdAt,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision; changes on every update", examples = "2024-01-15T10:30:00Z") Instant updatedAt) {

    static AttributeView of(AttributeDefinition definition) {
        AttributeType type = definition.attributeType();
        return new AttributeView(definition.id, definition.key, definition.label, definition.type,
                type == AttributeType.TEXT || type == AttributeType.ENUM ? (definition.maxLength == null ? 255 : definition.maxLength) : null,
                type == AttributeType.ENUM ? definition.optionList() : null, definition.description,
                definition.createdAt, definition.updatedAt);
    }
}
