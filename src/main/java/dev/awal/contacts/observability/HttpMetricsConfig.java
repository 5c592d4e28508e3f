package dev.awal.contacts.observability;

import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * HTTP server timings as a Prometheus histogram, so latency percentiles can be aggregated across replicas; the SQL
 * client's per-statement meters off by default.
 */
public class HttpMetricsConfig {

    /** A dozen fixed buckets from 5 ms to 10 s: enough resolution for SLOs, few series per route. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

    private static final Pattern NUMERIC_SEGMENT = Pattern.compile("/\\d+(?=/|$)");

    /**
     * A request that matched no resource method (a 405 on /contact-groups/140, say) is tagged with its raw
     * path by Quarkus; ids in it would make one series per id. Numeric segments become {id}. A request refused
     * before routing (a ';' in its path, a broken %-escape: PreRoutingRefusals) is tagged REFUSED, as the access log
     * names it: its raw path, whatever the client made up, would make one series per path.
     */
    @Produces
    @Singleton
    MeterFilter httpServerUriWithoutIds() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getName().equals("http.server.requests") ? id.getTag("uri") : null;
                if (uri == null) {
                    return id;
                }
                String tagged = uri.indexOf(';') >= 0 || uri.indexOf('%') >= 0 ? "REFUSED"
                        : NUMERIC_SEGMENT.matcher(uri).find() ? NUMERIC_SEGMENT.matcher(uri).replaceAll("/{id}") : uri;
                if (tagged.equals(uri)) {
                    return id;
                }
                return id.replaceTags(id.getTags().stream()
                        .map(tag -> tag.getKey().equals("uri") ? Tag.of("uri", tagged) : tag)
                        .toList());
            }
        };
    }

    /**
     * The reactive SQL client's per-statement meters ({@code postgresql_processing_seconds},
     * {@code postgresql_queue_delay_seconds}, {@code postgresql_current}, {@code postgresql_completed_total}, ...; tag
     * {@code clientType="sql"}) are turned off unless
     * {@code contacts.metrics.sql-requests=true}: a timer record per statement on the event loop (about half of the
     * Micrometer samples in the get-by-id profile), for figures the pool's own meters ({@code sql_pool_*}, kept) and
     * the HTTP timings already cover. Quarkus 3.34 has no setting for them apart from the whole Vert.x binder, which
     * also carries the HTTP server metrics. A denied meter is a no-op one, so the client still calls it.
     */
    @Produces
    @Singleton
    MeterFilter sqlClientRequests(@ConfigProperty(name = "contacts.metrics.sql-requests", defaultValue = "false") boolean enabled) {
        return enabled ? new MeterFilter() {
        } : MeterFilter.deny(id -> "sql".equals(id.getTag("clientType")));
    }

    @Produces
    @Singleton
    MeterFilter httpServerHistogram() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(Arrays.stream(BUCKETS).mapToDouble(Duration::toNanos).toArray())
                        .build().merge(config);
            }
        };
    }
}
