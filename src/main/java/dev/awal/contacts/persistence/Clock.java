package dev.awal.contacts.persistence;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The time rows are stamped with (created_at, updated_at): whole seconds, as the API shows them and
 * cursors carry them. One bean, injected where rows are written, so a test can hold time still.
 */
@ApplicationScoped
public class Clock {

    /** For code that runs outside CDI (the static import path of ContactUpsert). */
    public static final Clock SYSTEM = new Clock();

    private final java.time.Clock source;

    Clock() {
        this(java.time.Clock.systemUTC());
    }

    Clock(java.time.Clock source) {
        this.source = source;
    }

    public Instant now() {
        return source.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
