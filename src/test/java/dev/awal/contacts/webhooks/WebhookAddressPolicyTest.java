package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** With production settings: http URLs are refused, and a host on a private address is never contacted. */
@QuarkusTest
@TestProfile(WebhookAddressPolicyTest.ProductionPolicy.class)
class WebhookAddressPolicyTest {

    public static class ProductionPolicy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("contacts.webhooks.allow-http", "false", "contacts.webhooks.allow-private-addresses", "false");
        }
    }

    @Inject
    WebhookSender sender;

    @Test
    void httpIsRefusedAndPrivateAddressesAreNeverContacted() throws Exception {
        json("{\"url\":\"http://hooks.example.com/x\"}").post("/api/developer/webhooks").then().statusCode(422)
                .body("details.url", equalTo("must be an https URL"));

        Vertx vertx = Vertx.vertx();
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            int port = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                received.add(body.toString());
                request.response().end(new JsonObject().put("challenge", new JsonObject(body).getString("challenge")).encode());
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
            // A delivery to a loopback address is refused before any connection is made.
            assertThatThrownBy(() -> sender.post("http://127.0.0.1:" + port + "/hook", Map.of(), "{}").await().atMost(Duration.ofSeconds(30)))
                    .isInstanceOf(WebhookSender.Refused.class).hasMessage("the host resolves to a private or reserved address");
            assertThat(received).isEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
