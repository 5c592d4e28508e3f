package dev.awal.contacts.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where avatars and branch files are kept (README "Avatars and branch files"). */
@ConfigMapping(prefix = "contacts.storage")
public interface StorageConfig {

    /** {@code filesystem} needs nothing installed (the dev default); {@code s3} any S3-compatible store. */
    @WithDefault("filesystem")
    Type type();

    S3 s3();

    Filesystem filesystem();

    /**
     * Base URL clients load objects from (a CDN in front of the bucket). Unset: the service serves them
     * itself at {@code /media/<key>} on the host the client called.
     */
    Optional<String> publicBaseUrl();

    Sweeper sweeper();

    /**
     * How long a successful readiness probe of the store (a small write and delete) is trusted before the
     * next one; a failed storage operation ends it early.
     */
    @WithDefault("3s")
    Duration readinessCache();

    enum Type {
        S3,
        FILESYSTEM
    }

    interface S3 {
        /** Endpoint, region and credentials come from the standard quarkus.s3.* keys. */
        @WithDefault("contacts-media")
        String bucket();
    }

    interface Filesystem {
        @WithDefault("media-storage")
        Path root();
    }

    interface Sweeper {
        /** How often unreferenced objects are looked for. */
        @WithDefault("15m")
        Duration interval();

        /**
         * Unreferenced objects younger than this are left alone: their row may still be on its way to a
         * commit. Far longer than any request.
         */
        @WithDefault("1h")
        Duration gracePeriod();
    }
}
