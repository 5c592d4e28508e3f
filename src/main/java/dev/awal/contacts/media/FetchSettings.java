package dev.awal.contacts.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RemoteImageFetcher} downloads.
 *
 * @param allowPrivateAddresses for development and tests only: lets loopback and private hosts
 *     through (unspecified, multicast and broadcast addresses stay refused)
 * @param connectTimeout limit for establishing each TCP/TLS connection
 * @param totalTimeout limit for the whole download, redirects included
 * @param maxBytes largest accepted body
 * @param maxRedirects how many redirects are followed before giving up
 * @param tempDirectory where downloads are written; must exist
 */
public record FetchSettings(boolean allowPrivateAddresses, Duration connectTimeout, Duration totalTimeout,
        long maxBytes, int maxRedirects, Path tempDirectory) {

    public FetchSettings {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(totalTimeout, "totalTimeout");
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative");
        }
        Objects.requireNonNull(tempDirectory, "tempDirectory");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
