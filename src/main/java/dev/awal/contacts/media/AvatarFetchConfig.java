package dev.awal.contacts.media;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How avatars given by URL are downloaded (README "Avatars and branch files"); the size cap is the avatar limit. */
@ConfigMapping(prefix = "contacts.avatars.url-fetch")
public interface AvatarFetchConfig {

    /** For tests and private deployments only: lets loopback and private hosts through. */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    @WithDefault("5s")
    Duration connectTimeout();

    /** For the whole download, redirects included. */
    @WithDefault("10s")
    Duration totalTimeout();

    @WithDefault("3")
    int maxRedirects();
}
