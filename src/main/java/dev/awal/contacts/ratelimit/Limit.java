package dev.awal.contacts.ratelimit;

import java.time.Duration;

import org.eclipse.microprofile.config.spi.Converter;

import io.quarkus.runtime.configuration.DurationConverter;

/** At most {@code requests} per {@code period}; configured as {@code <requests>/<period>}, e.g. {@code 200/1m}. */
public record Limit(int requests, Duration period) {

    public Limit {
        if (requests < 1) {
            throw new IllegalArgumentException("a rate limit allows at least one request, got " + requests);
        }
        if (period.toSeconds() < 1) {
            throw new IllegalArgumentException("a rate-limit period is at least one second, got " + period);
        }
    }

    /** For messages: "200 requests per minute", "50 requests per hour", "10 requests per 30 seconds". */
    public String describe() {
        long seconds = period.toSeconds();
        String per = seconds == 3600 ? "hour"
                : seconds == 60 ? "minute"
                : seconds % 3600 == 0 ? seconds / 3600 + " hours"
                : seconds % 60 == 0 ? seconds / 60 + " minutes"
                : seconds + " seconds";
        return requests + " requests per " + per;
    }

    /** Reads {@code <requests>/<period>}; the period in Quarkus duration syntax ({@code 1m}, {@code 1h}, {@code 30s}). */
    public static final class LimitConverter implements Converter<Limit> {
        @Override
        public Limit convert(String value) {
            int slash = value.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("expected <requests>/<period> such as 200/1m, got '" + value + "'");
            }
            return new Limit(Integer.parseInt(value.substring(0, slash).trim()),
                    DurationConverter.parseDuration(value.substring(slash + 1).trim()));
        }
    }
}
