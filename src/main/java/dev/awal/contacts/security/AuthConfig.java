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

    /**
     * Upper bound on remembered write signatures (in process: without Redis, or while it is unreachable); beyond it
     * writes are refused rather than memory growing. About 200 bytes each: 300,000 is ~60 MB of the heap. Only
     * writes within their rate limit are remembered, each for the timestamp window (~10 minutes).
     */
    @WithDefault("300000")
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
