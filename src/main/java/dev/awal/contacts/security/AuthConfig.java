package dev.awal.contacts.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** HMAC clients and the rules for accepting their signatures (README "A signed request"). */
@ConfigMapping(prefix = "contacts.auth")
public interface AuthConfig {

    /** How far X-Timestamp may be from the server's clock, either way. */
    @WithDefault("300s")
    Duration timestampWindow();

    /** Upper bound on remembered write signatures; beyond it writes are refused rather than memory growing. */
    @WithDefault("1000000")
    int replayCacheMaxEntries();

    /** Clients by id. Never hard-coded: configured per environment. */
    Map<String, Client> clients();

    interface Client {
        /** Any one matches, so a secret can be rotated without downtime. */
        List<String> secrets();

        /** The X-Domain values (workspaces) this client may act in. */
        List<String> workspaces();
    }
}
