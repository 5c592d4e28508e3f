package dev.awal.contacts.support;

import java.time.Instant;

import dev.awal.contacts.persistence.Branch;
import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.ContactGroup;

/** Unsaved rows with every required column set, for tests that write through the repositories' session. */
public final class Rows {

    private Rows() {
    }

    public static ContactGroup group(String workspace, String name, Instant at) {
        ContactGroup group = new ContactGroup();
        group.workspace = workspace;
        group.name = name;
        group.createdAt = at;
        group.updatedAt = at;
        return group;
    }

    public static Branch branch(String workspace, String name, Long groupId, Instant at) {
        Branch branch = new Branch();
        branch.workspace = workspace;
        branch.name = name;
        branch.phoneNumberId = "100";
        branch.contactGroupId = groupId;
        branch.createdAt = at;
        branch.updatedAt = at;
        return branch;
    }

    /** A contact with a unique phone, linked to the group and branch given (either may be null). */
    public static Contact contact(String workspace, String name, Long groupId, Long branchId, Instant at) {
        Contact contact = new Contact();
        contact.workspace = workspace;
        contact.name = name;
        contact.phone = TestData.uniquePhone();
        contact.phoneNumberId = "100";
        contact.contactGroupId = groupId;
        contact.branchId = branchId;
        contact.createdAt = at;
        contact.updatedAt = at;
        return contact;
    }
}
