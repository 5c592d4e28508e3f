package dev.awal.contacts.webhooks;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** At most three endpoints per workspace, and a workspace of WebhookRacesTest's own to count them in. */
public class SmallWebhookCap implements QuarkusTestProfile {

    static final String WORKSPACE = "webhook-races";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("%test.contacts.webhooks.max-per-workspace", "3",
                "%test.contacts.auth.clients.\"test-client\".workspaces", "alpha,beta," + WORKSPACE);
    }
}
