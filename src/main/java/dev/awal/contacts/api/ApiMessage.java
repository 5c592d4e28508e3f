package dev.awal.contacts.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A success envelope without data (contact delete). */
public record ApiMessage(
        @Schema(examples = "true", required = true) boolean status,
        @Schema(required = true, description = "What happened, e.g. \"Contact deleted successfully\"") String message) {

    public static ApiMessage ok(String message) {
        return new ApiMessage(true, message);
    }
}
