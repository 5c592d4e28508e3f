package dev.awal.contacts.support;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * What the packaged application (prod profile) needs to be exercised by integration tests: a client
 * whose secret is made up per run, so no secret lives in the repository, no pre-shutdown delay, and
 * object storage under target/.
 */
public class PackagedAppConfig implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT = "it-client";
    public static final String WORKSPACE = "it-workspace";
    private static final String SECRET = HexFormat.of().formatHex(new SecureRandom().generateSeed(24));

    @Override
    public Map<String, String> start() {
        return Map.of(
                "contacts.auth.clients.\"" + CLIENT + "\".secrets", SECRET,
                "contacts.auth.clients.\"" + CLIENT + "\".workspaces", WORKSPACE,
                "quarkus.shutdown.delay", "0S",
                // The production default is a folder in the working directory: keep it inside target/.
                "contacts.storage.filesystem.root", "target/it-storage");
    }

    @Override
    public void stop() {
    }

    public static String secret() {
        return SECRET;
    }
}
