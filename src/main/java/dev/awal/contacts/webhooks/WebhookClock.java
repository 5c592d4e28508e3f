package dev.awal.contacts.webhooks;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The time the webhook dispatcher plans by (retry waits, leases, circuits, the disable after days of
 * failures, the rotation overlap). Every such time is passed to SQL from here rather than taken from
 * now(), so a test can move this clock and watch days of retries without waiting for them.
 */
@ApplicationScoped
public class WebhookClock {

    private volatile Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant();
    }

    /** Replaces the clock (tests: Clock.offset to jump ahead); the system clock otherwise. */
    public void use(Clock replacement) {
        this.clock = replacement;
    }
}
