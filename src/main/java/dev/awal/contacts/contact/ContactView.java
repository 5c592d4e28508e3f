package dev.awal.contacts.contact;

import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.awal.contacts.attributes.StoredAttributes;
import dev.awal.contacts.persistence.Contact;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Contact", description = "A contact. Every field is always present; unset ones are null.")
public record ContactView(
        @Schema(required = true, examples = "42") long id,
        @Schema(required = true, examples = "أحمد") String name,
        @Schema(required = true, nullable = true, examples = "أحمد بن علي") String fullName,
        @Schema(required = true, description = "Normalized international digits", examples = "966501234567") String phone,
        @Schema(required = true, nullable = true, examples = "ahmed@example.com") String email,
        @Schema(required = true, nullable = true, examples = "3") Long branchId,
        @Schema(required = true, nullable = true, examples = "7") Long contactGroupId,
        @Schema(required = true, nullable = true, examples = "VIP customer") String description,
        @Schema(required = true, nullable = true, examples = "King Fahd Rd, Riyadh") String address,
        @Schema(required = true, examples = "false") boolean isFavorite,
        @Schema(required = true, nullable = true, description = "Absolute URL of the avatar image", examples = "https://contacts.example.com/media/avatars/4f9c0d1e2b3a4c5d6e7f8091a2b3c4d5.jpg") String avatar,
        @Schema(required = true, examples = "109876543210") String phoneNumberId,
        @Schema(required = true, type = SchemaType.OBJECT, description = "The workspace's custom attributes that are set, key to value "
                + "(text, enum, date and datetime as strings, numbers, booleans); {} when none",
                examples = "{\"tier\": \"gold\", \"orders\": 3, \"vip\": true}") Map<String, Object> customAttributes,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision", examples = "2024-01-15T10:30:00Z") Instant createdAt,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision; changes on every update", examples = "2024-01-15T10:30:00Z") Instant updatedAt) {

    static ContactView of(Contact contact, String avatarUrl) {
        return new ContactView(contact.id, contact.name, contact.fullName, contact.phone, contact.email,
                contact.branchId, contact.contactGroupId, contact.description, contact.address, contact.isFavorite,
                avatarUrl, contact.phoneNumberId, StoredAttributes.view(contact.customAttributes), contact.createdAt, contact.updatedAt);
    }
}
