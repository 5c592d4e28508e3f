package dev.awal.contacts.events;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Event", description = "A change to a contact, contact group or branch, as written with the change")
public record EventView(
        @Schema(required = true, description = "Unique, handed out in increasing order; concurrent writes may be listed"
                + " with the higher id first (the feed follows transactions)", examples = "1042") long id,
        @Schema(required = true, examples = "contact.updated", enumeration = { "contact.created", "contact.updated",
                "contact.deleted", "contact.avatar.updated", "contact_group.created", "contact_group.updated",
                "contact_group.deleted", "branch.created", "branch.updated", "branch.deleted", "contact_import.completed" }) String type,
        @Schema(required = true, examples = "alpha") String workspace,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC", examples = "2024-01-15T10:30:00Z") Instant createdAt,
        @Schema(required = true, type = SchemaType.OBJECT, description = "contact.created / contact.avatar.updated: {contact};"
                + " contact.updated: {changed: [field names], contact}; contact.deleted: {id, phone, version};"
                + " contact_group.created/updated: {contact_group}; contact_group.deleted: {id, unlinked_contacts, unlinked_branches};"
                + " branch.created/updated: {branch}; branch.deleted: {id, unlinked_contacts};"
                + " contact_import.completed: {import: {id, status, file_name, dry_run, failure, counts, started_at, finished_at}}."
                + " A contact carries its version.",
                examples = "{\"changed\": [\"email\"], \"contact\": {\"id\": 42, \"name\": \"أحمد\", \"full_name\": null,"
                        + " \"phone\": \"966501234567\", \"email\": \"ahmed@example.com\", \"branch_id\": null,"
                        + " \"contact_group_id\": null, \"description\": null, \"address\": null, \"is_favorite\": false,"
                        + " \"has_avatar\": false, \"phone_number_id\": \"109876543210\", \"version\": 3,"
                        + " \"created_at\": \"2024-01-15T10:30:00Z\", \"updated_at\": \"2024-01-15T10:31:00Z\"}}")
        @JsonRawValue String data) {
}
