package dev.awal.contacts.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The success envelope for a list: the items plus paging facts in {@code meta}. */
public record ApiListResponse<T>(
        @Schema(examples = "true", required = true) boolean status,
        @Schema(required = true, description = "What happened, e.g. \"Contacts retrieved successfully\"") String message,
        @Schema(required = true) List<T> data,
        @Schema(required = true) PageMeta meta) {

    public static <T> ApiListResponse<T> of(String message, Page<T> page) {
        return new ApiListResponse<>(true, message, page.items(), page.meta());
    }
}
