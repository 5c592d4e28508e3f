package dev.awal.contacts.contact;

import java.util.List;

import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.attributes.AttributeChanges;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;
import dev.awal.contacts.media.MediaSource;
import dev.awal.contacts.persistence.Contact;

/**
 * Validated contact fields from any content type. {@code fields} still answers which were sent,
 * so a partial update changes only those. {@code avatar} is a new avatar to store, or null.
 */
record ContactInput(InputFields fields, String name, String fullName, String phone, String email, Long branchId,
        Long contactGroupId, String description, String address, Boolean isFavorite, MediaSource avatar,
        AttributeChanges attributes) {

    /** Parses and validates; on create the required fields must be present. */
    static ContactInput from(InputFields fields, List<UploadedFile> files, boolean create) {
        String name = fields.text("name", 255, create || fields.has("name"));
        String phone = fields.phone("phone", create || fields.has("phone"));
        String email = fields.email("email");
        MediaSource avatar = MediaSource.avatar(files, fields);
        ContactInput input = new ContactInput(fields, name, fields.text("full_name", 255), phone, email,
                fields.id("branch_id"), fields.id("contact_group_id"), fields.text("description", 2000),
                fields.text("address", 500), fields.bool("is_favorite"), avatar, AttributeChanges.none());
        fields.throwIfInvalid();
        return input;
    }

    /** The same input with the custom attribute values the body sends. */
    ContactInput withAttributes(AttributeChanges sent) {
        return new ContactInput(fields, name, fullName, phone, email, branchId, contactGroupId, description, address,
                isFavorite, avatar, sent);
    }

    /** Copies the sent fields onto the entity; answers whether anything changed. */
    boolean applyTo(Contact contact) {
        boolean changed = fields.assign("name", name, contact.name, v -> contact.name = v);
        changed |= fields.assign("phone", phone, contact.phone, v -> contact.phone = v);
        changed |= fields.assign("full_name", fullName, contact.fullName, v -> contact.fullName = v);
        changed |= fields.assign("email", email, contact.email, v -> contact.email = v);
        changed |= fields.assign("branch_id", branchId, contact.branchId, v -> contact.branchId = v);
        changed |= fields.assign("contact_group_id", contactGroupId, contact.contactGroupId, v -> contact.contactGroupId = v);
        changed |= fields.assign("description", description, contact.description, v -> contact.description = v);
        changed |= fields.assign("address", address, contact.address, v -> contact.address = v);
        String mergedAttributes = attributes.mergeInto(contact.customAttributes);
        if (!mergedAttributes.equals(contact.customAttributes)) {
            contact.customAttributes = mergedAttributes;
            changed = true;
        }
        if (isFavorite != null && isFavorite != contact.isFavorite) {
            contact.isFavorite = isFavorite;
            changed = true;
        }
        return changed;
    }

}
