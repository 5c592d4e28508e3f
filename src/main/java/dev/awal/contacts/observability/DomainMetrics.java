package dev.awal.contacts.observability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.awal.contacts.api.AuthenticationFailure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The service's own counters at {@code /q/metrics}, next to the HTTP and pool metrics Quarkus
 * records. Tags only take values from small fixed sets, so no caller can grow the series count.
 */
@ApplicationScoped
public class DomainMetrics {

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

    /** Counts a request refused by authentication (the security handlers announce each one). */
    void authFailure(@Observes AuthenticationFailure failure) {
        registry.counter("contacts.auth.failures", "reason", failure.reason().tag()).increment();
    }

    /** One request refused by the rate limiter; {@code operation} is the limit's class (e.g. {@code list-contacts}). */
    public void rateLimited(String operation) {
        registry.counter("contacts.rate_limit.rejections", "operation", operation).increment();
    }
}
