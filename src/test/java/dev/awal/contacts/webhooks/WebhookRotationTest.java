package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Secret rotation: during the overlap deliveries carry signatures of both secrets, and the Standard Webhooks
 * reference verifier (npm standardwebhooks, run with node from src/test/webhooks-verifier) accepts a delivery with
 * either secret; after the overlap only the new one signs. The AwalChat signatures are checked with javax.crypto.
 */
@QuarkusTest
class WebhookRotationTest {

    private static final String HOOKS = WebhookManagementTest.HOOKS;

    @Inject
    WebhookClock clock;

    private Receiver receiver;
    private long id;

    @BeforeEach
    void start() throws Exception {
        receiver = new Receiver((path, call) -> 204);
    }

    @AfterEach
    void stop() throws Exception {
        clock.use(Clock.systemUTC());
        signed().delete(HOOKS + "/" + id);
        receiver.close();
    }

    private Receiver.Received deliveryOf(long contact) {
        List<Receiver.Received> got = receiver.await(r -> about(contact).size() == 1);
        assertThat(about(contact)).hasSize(1);
        return got.stream().filter(r -> about(contact).contains(r)).findFirst().orElseThrow();
    }

    private List<Receiver.Received> about(long contact) {
        return receiver.on("/r").stream().filter(r -> r.json().getJsonObject("data").getJsonObject("contact") != null
                && r.json().getJsonObject("data").getJsonObject("contact").getLong("id") == contact).toList();
    }

    private static long newContact() {
        return json("{\"name\":\"Rotated\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
    }

    @Test
    void duringTheOverlapBothSecretsVerifyAfterItOnlyTheNewOne() throws Exception {
        var created = json("{\"url\":\"" + receiver.url("/r") + "\",\"events\":[\"contact.created\"]}").post(HOOKS)
                .then().statusCode(201).extract().jsonPath();
        id = created.getLong("data.id");
        String first = created.getString("data.secret");

        Receiver.Received before = deliveryOf(newContact());
        assertThat(verify(first, List.of(before))).containsExactly(true);
        assertThat(before.headers().get("webhook-signature")).doesNotContain(" ");

        var rotated = signed().post(HOOKS + "/" + id + "/rotate-secret").then().statusCode(200)
                .body("message", equalTo("Webhook secret rotated successfully")).extract().jsonPath();
        String second = rotated.getString("data.secret");
        assertThat(second).startsWith("whsec_").isNotEqualTo(first);
        assertThat(rotated.getString("data.previous_secret_expires_at")).isNotNull();
        signed().get(HOOKS + "/" + id).then().body("data.secret", nullValue());

        Receiver.Received during = deliveryOf(newContact());
        assertThat(during.headers().get("webhook-signature").split(" ")).hasSize(2);
        // The reference verifier accepts it with either secret, and rejects a secret that was never this endpoint's.
        assertThat(verify(first, List.of(during))).containsExactly(true);
        assertThat(verify(second, List.of(during))).containsExactly(true);
        assertThat(verify(Signatures.newSecret(), List.of(during))).containsExactly(false);
        String timestamp = during.headers().get("x-timestamp");
        assertThat(during.headers().get("x-awal-signature-256")).isEqualTo(awal(second, timestamp, during.body()));
        assertThat(during.headers().get("x-awal-signature-256-previous")).isEqualTo(awal(first, timestamp, during.body()));

        // Past the overlap (24 h by default) only the new secret signs.
        clock.use(Clock.offset(Clock.systemUTC(), Duration.ofHours(25)));
        Receiver.Received after = deliveryOf(newContact());
        assertThat(after.headers().get("webhook-signature").split(" ")).hasSize(1);
        assertThat(after.headers()).doesNotContainKey("x-awal-signature-256-previous");
        String afterTimestamp = after.headers().get("webhook-timestamp");
        assertThat(after.headers().get("webhook-signature")).isEqualTo(Signatures.standard(second, after.headers().get("webhook-id"),
                Long.parseLong(afterTimestamp), after.body()));
        assertThat(after.headers().get("x-awal-signature-256")).isEqualTo(awal(second, afterTimestamp, after.body()));
    }

    /** Runs the reference verifier on the deliveries; one answer per delivery. */
    static List<Boolean> verify(String secret, List<Receiver.Received> deliveries) throws Exception {
        JsonArray items = new JsonArray();
        for (Receiver.Received delivery : deliveries) {
            JsonObject headers = new JsonObject();
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
                headers.put(name, delivery.headers().get(name));
            }
            items.add(new JsonObject().put("headers", headers).put("body", delivery.body()));
        }
        File dir = Path.of("src/test/webhooks-verifier").toFile();
        if (!new File(dir, "node_modules/standardwebhooks").isDirectory()) {
            Process install = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error").directory(dir)
                    .redirectErrorStream(true).start();
            assertThat(install.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(install.exitValue()).as(new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        }
        Process node = new ProcessBuilder("node", "verify.mjs").directory(dir).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        node.getOutputStream().write(new JsonObject(Map.of("secret", secret, "deliveries", items)).encode().getBytes(StandardCharsets.UTF_8));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonArray results = new JsonArray(out);
        assertThat(results).hasSize(deliveries.size());
        return results.stream().map(r -> ((JsonObject) r).getBoolean("ok")).toList();
    }

    static String awal(String secret, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}
