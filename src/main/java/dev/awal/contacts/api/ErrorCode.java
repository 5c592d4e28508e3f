package dev.awal.contacts.api;

/** Every error the API reports, with its HTTP status and the {@code error} code clients switch on. */
public enum ErrorCode {
    BAD_REQUEST(400, "bad_request"),
    UNSUPPORTED_API_VERSION(400, "unsupported_api_version"),
    MISSING_HEADERS(401, "missing_headers"),
    AUTHENTICATION_FAILED(401, "authentication_failed"),
    FORBIDDEN(403, "forbidden"),
    RESOURCE_NOT_FOUND(404, "resource_not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    DUPLICATE_PHONE(409, "duplicate_phone"),
    DUPLICATE_NAME(409, "duplicate_name"),
    ATTRIBUTE_IN_USE(409, "attribute_in_use"),
    GONE(410, "gone"),
    PRECONDITION_FAILED(412, "precondition_failed"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    URI_TOO_LONG(414, "uri_too_long"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    VALIDATION_FAILED(422, "validation_failed"),
    RATE_LIMIT_EXCEEDED(429, "rate_limit_exceeded"),
    HEADERS_TOO_LARGE(431, "headers_too_large"),
    INTERNAL_ERROR(500, "internal_error"),
    SERVICE_UNAVAILABLE(503, "service_unavailable");

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
