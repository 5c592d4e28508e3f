package dev.awal.contacts.group;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.awal.contacts.persistence.ContactGroup;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "ContactGroup", description = "A contact group. Every field is always present.")
public record GroupView(
        @Schema(required = true, examples = "7") long id,
        @Schema(required = true, examples = "VIP") String name,
        @Schema(required = true, type = SchemaType.INTEGER, format = "int32", description = "1 active, 0 inactive", enumeration = { "0", "1" }, examples = "1") int status,
        @Schema(required = true, description = "Contacts in the group", examples = "12") long contactsCount,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision", examples = "2024-01-15T10:30:00Z") Instant createdAt,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision; changes on every update", examples = "2024-01-15T10:30:00Z") Instant updatedAt) {

    static GroupView of(ContactGroup group) {
        return new GroupView(group.id, group.name, group.status, group.contactsCount, group.createdAt, group.updatedAt);
    }
}
