package dev.awal.contacts.api;

import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "Error", description = "The envelope of every error response (4xx and 5xx). Every field is always present.")
public record ApiError(
        @Schema(examples = "false", required = true) boolean status,
        // The values are listed from ErrorCode by ErrorCodeSchema.
        @Schema(description = "Machine-readable error code", required = true, examples = "validation_failed") String error,
        @Schema(description = "Human-readable explanation", required = true, examples = "The given data was invalid") String message,
        @Schema(description = "Per-field messages or extra facts, null when there are none", required = true, nullable = true,
                examples = "{\"phone\": \"The phone must be a valid international number\"}") Map<String, Object> details,
        @Schema(description = "Also sent as the X-Request-ID header and logged by the server", required = true,
                examples = "3f1c2a7e9b0d4c5e") String requestId) {

    public static ApiError of(ErrorCode code, String message, Map<String, Object> details, String requestId) {
        return new ApiError(false, code.code(), message, details, requestId);
    }
}
