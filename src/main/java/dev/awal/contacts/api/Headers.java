package dev.awal.contacts.api;

/**
 * The HTTP header names and the path prefix of the signed API, in one place every package may import
 * (the signature scheme and the rate-limit headers are described in the README sections "A signed request" and
 * "Rate limits and running several replicas" and in the OpenAPI document).
 */
public final class Headers {

    /** Every operation of the public API lives under this prefix and is signed. */
    public static final String API_PREFIX = "/api/developer";

    public static final String SIGNATURE = "X-Awal-Signature-256";
    public static final String TIMESTAMP = "X-Timestamp";
    public static final String DOMAIN = "X-Domain";
    public static final String CLIENT_ID = "X-Client-ID";

    public static final String RATE_LIMIT = "X-RateLimit-Limit";
    public static final String RATE_LIMIT_REMAINING = "X-RateLimit-Remaining";
    public static final String RATE_LIMIT_RESET = "X-RateLimit-Reset";
    public static final String RETRY_AFTER = "Retry-After";

    private Headers() {
    }
}
