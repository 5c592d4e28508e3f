package dev.awal.contacts.webhooks;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook delivery settings (contacts.webhooks.*). */
@ConfigMapping(prefix = "contacts.webhooks")
public interface WebhooksConfig {

    /** http:// URLs are refused unless true (dev and tests only). */
    @WithDefault("false")
    boolean allowHttp();

    /** Loopback and private addresses are refused unless true (tests, private deployments). */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Waits before the 2nd, 3rd, … attempt; after the last the delivery fails (the default spans about 3 days). */
    @WithDefault("5s,5m,30m,2h,5h,10h,10h,10h,10h,10h,10h")
    List<Duration> retrySchedule();

    /** Per request: connect plus the whole answer. */
    @WithDefault("10s")
    Duration timeout();

    /** Endpoints per workspace: each costs a queueing scan per poll. */
    @WithDefault("20")
    int maxPerWorkspace();

    /** How often due deliveries are looked for. */
    @WithDefault("2s")
    Duration pollInterval();

    /** After a rotation, deliveries carry the signatures of the old and the new secret this long. */
    @WithDefault("24h")
    Duration secretOverlap();

    /** An endpoint whose deliveries have all failed for this long is disabled. */
    @WithDefault("5d")
    Duration disableAfter();

    /**
     * Deliveries in flight to one endpoint at a time (across replicas); a failing endpoint gets one. 16 keeps a
     * loopback receiver above 1,000 events/s (bench/webhooks-delivery.sh); 8 stayed just under.
     */
    @WithDefault("16")
    int concurrencyPerEndpoint();

    /** Failures in a row after which the endpoint's circuit opens (deliveries to it pause, growing to 10 min). */
    @WithDefault("5")
    int circuitThreshold();
}
