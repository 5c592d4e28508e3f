package dev.awal.contacts.group;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.persistence.ContactGroup;

/** Validated group fields; {@code fields} tells which were sent. */
record GroupInput(InputFields fields, String name, Integer status) {

    static GroupInput from(InputFields fields, boolean create) {
        String name = fields.text("name", 255, create || fields.has("name"));
        Integer status = fields.oneOf("status", 0, 1);
        fields.throwIfInvalid();
        return new GroupInput(fields, name, status);
    }

    /** Answers whether anything changed. */
    boolean applyTo(ContactGroup group) {
        boolean changed = false;
        if (name != null && !name.equals(group.name)) {
            group.name = name;
            changed = true;
        }
        if (status != null && status != group.status) {
            group.status = status;
            changed = true;
        }
        return changed;
    }

    @Schema(name = "ContactGroupWrite", description = "Fields of a contact group; on create name is required and status defaults to 1")
    record Body(@Schema(maxLength = 255, examples = "VIP") String name,
            // No default in the document: generated clients would send it with every PATCH (reactivating a group).
            @Schema(enumeration = { "0", "1" }, description = "1 (active) when left out on create; left out on update, unchanged") Integer status) {
    }
}
