package dev.awal.contacts.branch;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;
import dev.awal.contacts.media.MediaSource;
import dev.awal.contacts.persistence.Branch;

/**
 * Validated branch fields from any content type; {@code fields} tells which were sent. {@code file} is a
 * new branch file to store, or null.
 */
record BranchInput(InputFields fields, String name, String phone, String email, String address, String description,
        String externalBranchId, Long contactGroupId, String fullName, Boolean isFavorite, MediaSource file) {

    static BranchInput from(InputFields fields, List<UploadedFile> files, boolean create) {
        String name = fields.text("name", 255, create || fields.has("name"));
        String phone = fields.phone("phone", false);
        String email = fields.email("email");
        BranchInput input = new BranchInput(fields, name, phone, email, fields.text("address", 500),
                fields.text("description", 2000), fields.text("branch_id", 255), fields.id("contact_group_id"),
                fields.text("full_name", 255), fields.bool("is_favorite"), MediaSource.filePart(files, "file", fields));
        fields.throwIfInvalid();
        return input;
    }

    boolean applyTo(Branch branch) {
        boolean changed = fields.assign("name", name, branch.name, v -> branch.name = v);
        changed |= fields.assign("phone", phone, branch.phone, v -> branch.phone = v);
        changed |= fields.assign("email", email, branch.email, v -> branch.email = v);
        changed |= fields.assign("address", address, branch.address, v -> branch.address = v);
        changed |= fields.assign("description", description, branch.description, v -> branch.description = v);
        changed |= fields.assign("branch_id", externalBranchId, branch.externalBranchId, v -> branch.externalBranchId = v);
        changed |= fields.assign("contact_group_id", contactGroupId, branch.contactGroupId, v -> branch.contactGroupId = v);
        changed |= fields.assign("full_name", fullName, branch.fullName, v -> branch.fullName = v);
        if (isFavorite != null && isFavorite != branch.isFavorite) {
            branch.isFavorite = isFavorite;
            changed = true;
        }
        return changed;
    }

    @Schema(name = "BranchWrite", description = "Branch fields (JSON, urlencoded or multipart). On create name is required; on update only the fields sent change.")
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Body(
            @Schema(maxLength = 255, examples = "Riyadh Olaya") String name,
            @Schema(examples = "+966 11 234 5678") String phone,
            @Schema(maxLength = 254) String email,
            @Schema(maxLength = 500) String address,
            @Schema(maxLength = 2000) String description,
            @Schema(maxLength = 255, description = "External id for integrations", examples = "BR-001") String branchId,
            @Schema(nullable = true, description = "Group id; empty or null unlinks on update") Long contactGroupId,
            @Schema(maxLength = 255, description = "Manager's name") String fullName,
            Boolean isFavorite) {
    }

    @Schema(name = "BranchFile", description = "The branch file as a file part")
    record FilePart(
            @Schema(type = SchemaType.STRING, format = "binary",
                    description = "JPG, PNG or PDF, at most 10 MB; the type is read from the bytes") String file) {
    }

    @Schema(name = "BranchWriteMultipart", description = "Branch fields as multipart, with an optional file that replaces the current one",
            allOf = { Body.class, FilePart.class })
    static final class Multipart {
    }
}
