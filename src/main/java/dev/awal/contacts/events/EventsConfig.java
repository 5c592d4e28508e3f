package dev.awal.contacts.events;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Event outbox settings (contacts.events.*). */
@ConfigMapping(prefix = "contacts.events")
public interface EventsConfig {

    /** How long events are kept (purged two hours after); the feed answers 410 for a cursor older than this plus one hour. */
    @WithDefault("30d")
    Duration retention();

    /** How often events past the retention are deleted. */
    @WithDefault("1h")
    Duration purgeInterval();
}
