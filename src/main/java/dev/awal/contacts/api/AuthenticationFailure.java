package dev.awal.contacts.api;

/**
 * A refused credential (401) or workspace (403), with a typed reason: the metrics count refusals by
 * {@link Reason#tag()}, so a reworded message cannot move a refusal to another series.
 */
public class AuthenticationFailure extends ApiException {

    /** Why a request was refused; {@link #tag()} is the {@code reason} tag of {@code contacts.auth.failures}. */
    public enum Reason {
        MISSING_HEADERS, UNKNOWN_CLIENT, BAD_TIMESTAMP, STALE_TIMESTAMP, BAD_SIGNATURE, REPLAY, FORBIDDEN_WORKSPACE;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        ErrorCode code() {
            return switch (this) {
                case MISSING_HEADERS -> ErrorCode.MISSING_HEADERS;
                case FORBIDDEN_WORKSPACE -> ErrorCode.FORBIDDEN;
                default -> ErrorCode.AUTHENTICATION_FAILED;
            };
        }
    }

    private final Reason reason;

    public AuthenticationFailure(Reason reason, String message) {
        this(reason, message, null);
    }

    public AuthenticationFailure(Reason reason, String message, java.util.Map<String, ?> details) {
        super(reason.code(), message, details);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
