package dev.awal.contacts.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Two independent outbound policies in one profile, so the suite starts Quarkus once for both classes: avatar URL
 * fetches may reach private addresses (AvatarUrlFetchTest's local image server, as a private deployment would
 * allow) with a total timeout short enough for the slow-server case yet long enough that a loaded CI machine does not time out the redirect case (2 s did once), while webhooks keep the production policy (WebhookAddressPolicyTest: https
 * only, no private addresses). The settings live under different keys (contacts.avatars.url-fetch.*,
 * contacts.webhooks.*) and neither class exercises the other's feature.
 */
public class OutboundAddressPolicies implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("contacts.avatars.url-fetch.allow-private-addresses", "true",
                "contacts.avatars.url-fetch.total-timeout", "5s",
                "contacts.webhooks.allow-http", "false",
                "contacts.webhooks.allow-private-addresses", "false");
    }
}
