package dev.awal.contacts.observability;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The service's own counters at {@code /q/metrics}, next to the HTTP and pool metrics Quarkus
 * records. Tags only take values from small fixed sets, so no caller can grow the series count.
 */
@ApplicationScoped
public class DomainMetrics {

    /** Prefixes of SignedRequestHandler's 401 messages, so the reason tag says which check failed. */
    private static final Map<String, String> AUTHENTICATION_REASONS = Map.of(
            "Unknown client", "unknown_client",
            "X-Timestamp", "bad_timestamp",
            "Request timestamp", "stale_timestamp",
            "X-Awal-Signature-256", "bad_signature",
            "Signature mismatch", "bad_signature",
            "Replayed request", "replay");

    private final MeterRegistry registry;
    private final Counter contactsCreated;
    private final Counter contactsDeleted;
    private final Counter avatarBytesStored;

    DomainMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.contactsCreated = Counter.builder("contacts.created").description("Contacts created").register(registry);
        this.contactsDeleted = Counter.builder("contacts.deleted").description("Contacts deleted").register(registry);
        this.avatarBytesStored = Counter.builder("contacts.avatar.stored").baseUnit("bytes")
                .description("Bytes of avatar images written to object storage").register(registry);
    }

    public void contactCreated() {
        contactsCreated.increment();
    }

    public void contactDeleted() {
        contactsDeleted.increment();
    }

    /** Contacts one committed import batch wrote; the created ones count in contacts.created too. */
    public void contactsImported(int created, int updated) {
        contactsCreated.increment(created);
        registry.counter("contacts.imported", "result", "created").increment(created);
        registry.counter("contacts.imported", "result", "updated").increment(updated);
    }

    public void avatarBytesStored(long bytes) {
        avatarBytesStored.increment(bytes);
    }

    /** Counts a refused request if the refusal is an authentication or authorization failure. */
    public void authFailure(ApiException failure) {
        ErrorCode code = failure.code();
        String reason = switch (code) {
            case MISSING_HEADERS -> "missing_headers";
            case FORBIDDEN -> "forbidden_workspace";
            case AUTHENTICATION_FAILED -> authenticationReason(failure.getMessage());
            default -> null;
        };
        if (reason != null) {
            registry.counter("contacts.auth.failures", "reason", reason).increment();
        }
    }

    /** One request refused by the rate limiter; {@code operation} is the limit's class (e.g. {@code list-contacts}). */
    public void rateLimited(String operation) {
        registry.counter("contacts.rate_limit.rejections", "operation", operation).increment();
    }

    private static String authenticationReason(String message) {
        return AUTHENTICATION_REASONS.entrySet().stream()
                .filter(e -> message != null && message.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse("other");
    }
}
