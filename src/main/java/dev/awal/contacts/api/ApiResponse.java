package dev.awal.contacts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The success envelope for a single resource. */
public record ApiResponse<T>(
        @Schema(examples = "true", required = true) boolean status,
        @Schema(required = true, description = "What happened, e.g. \"Contact created successfully\"") String message,
        @Schema(required = true) T data) {

    public static <T> ApiResponse<T> ok(String message, T data) {
        return new ApiResponse<>(true, message, data);
    }
}
