package dev.awal.contacts.observability;

import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/** HTTP server timings as a Prometheus histogram, so latency percentiles can be aggregated across replicas. */
public class HttpMetricsConfig {

    /** A dozen fixed buckets from 5 ms to 10 s: enough resolution for SLOs, few series per route. */
    private static final Duration[] BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

    private static final Pattern NUMERIC_SEGMENT = Pattern.compile("/\\d+(?=/|$)");

    /**
     * A request that matched no resource method (a 405 on /contact-groups/140, say) is tagged with its raw
     * path by Quarkus; ids in it would make one series per id. Numeric segments become {id}.
     */
    @Produces
    @Singleton
    MeterFilter httpServerUriWithoutIds() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getName().equals("http.server.requests") ? id.getTag("uri") : null;
                if (uri == null || !NUMERIC_SEGMENT.matcher(uri).find()) {
                    return id;
                }
                return id.replaceTags(id.getTags().stream()
                        .map(tag -> tag.getKey().equals("uri") ? Tag.of("uri", NUMERIC_SEGMENT.matcher(uri).replaceAll("/{id}")) : tag)
                        .toList());
            }
        };
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
