package dev.awal.contacts.branch;

import java.time.Instant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Branch", description = "A branch. Every field is always present; unset ones are null.")
public record BranchView(
        @Schema(required = true, examples = "3") long id,
        @Schema(required = true, examples = "Riyadh Olaya") String name,
        @Schema(nullable = true, examples = "966112345678") String phone,
        @Schema(nullable = true, examples = "olaya@example.com") String email,
        @Schema(nullable = true, examples = "Olaya St, Riyadh") String address,
        @Schema(nullable = true) String description,
        @Schema(nullable = true, description = "External id for integrations (not a foreign key)", examples = "BR-001") String branchId,
        @Schema(nullable = true, examples = "7") Long contactGroupId,
        @Schema(nullable = true, description = "Manager's name", examples = "Sara Al-Harbi") String fullName,
        @Schema(required = true, examples = "false") boolean isFavorite,
        @Schema(nullable = true, description = "Absolute URL of the branch file") String fileUrl,
        @Schema(required = true, examples = "109876543210") String phoneNumberId,
        @Schema(required = true, examples = "2024-01-15T10:30:00Z") Instant createdAt,
        @Schema(required = true, examples = "2024-01-15T10:30:00Z") Instant updatedAt) {

    static BranchView of(Branch branch, String fileUrl) {
        return new BranchView(branch.id, branch.name, branch.phone, branch.email, branch.address, branch.description,
                branch.externalBranchId, branch.contactGroupId, branch.fullName, branch.isFavorite, fileUrl,
                branch.phoneNumberId, branch.createdAt, branch.updatedAt);
    }
}
