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

import dev.awal.contacts.support.OutboundAddressPolicies;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** With production settings: http URLs are refused, and a host on a private address is never contacted. */
@QuarkusTest
@TestProfile(OutboundAddressPolicies.class)
class WebhookAddressPolicyTest {

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

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;
    @Inject
    WebhookDispatcher dispatcher;

    /**
     * An endpoint whose name resolved to a public address when it was verified and to a private one now (here: a row
     * made active directly, pointing at loopback) is refused at each delivery, and the log says why.
     */
    @Test
    void anAddressThatTurnsPrivateLaterIsRefusedAtDelivery() throws Exception {
        try (Receiver receiver = new Receiver((path, call) -> 200)) {
            long id = pool.preparedQuery("INSERT INTO webhooks (workspace, url, events, secret, status, feed_txid)"
                    + " VALUES ('alpha', $1, '{contact.created}', $2, 'active', pg_snapshot_xmin(pg_current_snapshot())) RETURNING id")
                    .execute(io.vertx.mutiny.sqlclient.Tuple.of(receiver.url("/turned-private"), Signatures.newSecret()))
                    .await().atMost(Duration.ofSeconds(30)).iterator().next().getLong("id");
            try {
                json("{\"name\":\"Private\",\"phone\":\"+" + dev.awal.contacts.support.TestData.uniquePhone() + "\"}")
                        .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
                List<Object> errors = List.of();
                for (int i = 0; i < 20 && errors.isEmpty(); i++) {
                    dispatcher.runOnce().await().atMost(Duration.ofSeconds(30));
                    errors = dev.awal.contacts.support.Api.signed().get("/api/developer/webhooks/" + id + "/deliveries").then()
                            .statusCode(200).extract().jsonPath().getList("data.error");
                }
                assertThat(errors).isNotEmpty().containsOnly("the host resolves to a private or reserved address");
                assertThat(receiver.received).isEmpty();
            } finally {
                dev.awal.contacts.support.Api.signed().delete("/api/developer/webhooks/" + id).then().statusCode(200);
            }
        }
    }
}
