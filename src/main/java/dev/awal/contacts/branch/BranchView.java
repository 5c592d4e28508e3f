package dev.awal.contacts.branch;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.awal.contacts.persistence.Branch;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Branch", description = "A branch. Every field is always present; unset ones are null.")
public record BranchView(
        @Schema(required = true, examples = "3") long id,
        @Schema(required = true, examples = "Riyadh Olaya") String name,
        @Schema(required = true, nullable = true, examples = "966112345678") String phone,
        @Schema(required = true, nullable = true, examples = "olaya@example.com") String email,
        @Schema(required = true, nullable = true, examples = "Olaya St, Riyadh") String address,
        @Schema(required = true, nullable = true, examples = "Open 9-21") String description,
        @Schema(required = true, nullable = true, description = "External id for integrations (not a foreign key)", examples = "BR-001") String branchId,
        @Schema(required = true, nullable = true, examples = "7") Long contactGroupId,
        @Schema(required = true, nullable = true, description = "Manager's name", examples = "Sara Al-Harbi") String fullName,
        @Schema(required = true, examples = "false") boolean isFavorite,
        @Schema(required = true, nullable = true, description = "Absolute URL of the branch file (JPG, PNG or PDF)", examples = "https://contacts.example.com/media/branches/0d1e2b3a4c5d6e7f80914f9ca2b3c4d5.pdf") String fileUrl,
        @Schema(required = true, examples = "109876543210") String phoneNumberId,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision", examples = "2024-01-15T10:30:00Z") Instant createdAt,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC, second precision; changes on every update", examples = "2024-01-15T10:30:00Z") Instant updatedAt) {

    static BranchView of(Branch branch, String fileUrl) {
        return new BranchView(branch.id, branch.name, branch.phone, branch.email, branch.address, branch.description,
                branch.externalBranchId, branch.contactGroupId, branch.fullName, branch.isFavorite, fileUrl,
                branch.phoneNumberId, branch.createdAt, branch.updatedAt);
    }
}
