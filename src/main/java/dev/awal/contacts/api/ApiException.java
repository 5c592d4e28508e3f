package dev.awal.contacts.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A failure that maps one-to-one onto the error envelope; thrown anywhere, rendered by {@link ErrorMappers}. */
public class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;
    private Long retryAfterSeconds;

    public ApiException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public ApiException(ErrorCode code, String message, Map<String, ?> details) {
        super(message, null, false, false);
        this.code = code;
        // Insertion order is kept: clients read details top-down.
        this.details = details == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Sets the Retry-After (seconds) the answer carries; without it a 503 carries the default of 5. */
    public ApiException retryAfter(long seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    /** The Retry-After of the answer, or null when it carries none. */
    public Long retryAfterSeconds() {
        if (retryAfterSeconds == null && code == ErrorCode.SERVICE_UNAVAILABLE) {
            return ErrorEnvelope.DEFAULT_RETRY_AFTER_SECONDS;
        }
        return retryAfterSeconds;
    }

    public static ApiException notFound(String what) {
        return new ApiException(ErrorCode.RESOURCE_NOT_FOUND, what + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(ErrorCode.BAD_REQUEST, message);
    }

    public static ApiException invalid(Map<String, String> fieldErrors) {
        return new ApiException(ErrorCode.VALIDATION_FAILED, "The given data was invalid", fieldErrors);
    }
}
