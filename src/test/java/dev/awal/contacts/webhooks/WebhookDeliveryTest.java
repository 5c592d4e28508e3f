package dev.awal.contacts.webhooks;

import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/** Webhooks against a real HTTP receiver: handshake, signed deliveries, retries, 410, tenancy. */
@QuarkusTest
class WebhookDeliveryTest {

    private static final String HOOKS = "/api/developer/webhooks";

    /** A request the receiver got: path, headers we check, body. */
    record Received(String path, Map<String, String> headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    @jakarta.inject.Inject
    WebhookDispatcher dispatcher;

    /** The receiver runs on a Vert.x of its own, as a separate process would. */
    private Vertx vertx;
    private HttpServer server;
    private int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<Long> created = new ArrayList<>();

    @BeforeEach
    void startReceiver() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            String path = request.path();
            Map<String, String> headers = new java.util.HashMap<>();
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "X-Awal-Signature-256", "X-Timestamp")) {
                headers.put(name, request.getHeader(name));
            }
            received.add(new Received(path, headers, body.toString()));
            JsonObject json = new JsonObject(body);
            if ("verification".equals(json.getString("type"))) {
                String echo = path.equals("/wrong") ? "not-the-challenge" : json.getString("challenge");
                request.response().setStatusCode(200).end(new JsonObject().put("challenge", echo).encode());
                return;
            }
            int call = calls.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status = switch (path) {
                case "/gone" -> 410;
                case "/flaky" -> call == 1 ? 500 : 204;
                default -> 200;
            };
            request.response().setStatusCode(status).end("ok");
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void stopReceiver() throws Exception {
        for (long id : created) {
            signed().delete(HOOKS + "/" + id);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private io.restassured.path.json.JsonPath register(String path, String events) {
        var answer = json("{\"url\":\"http://127.0.0.1:" + port + path + "\",\"events\":" + events + ",\"description\":\"test\"}")
                .post(HOOKS).then().statusCode(201).extract().jsonPath();
        created.add(answer.getLong("data.id"));
        return answer;
    }

    private List<Received> await(Predicate<List<Received>> done) {
        for (int i = 0; i < 300 && !done.test(received); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new ArrayList<>(received);
    }

    private static List<Received> about(List<Received> all, String path, long contactId) {
        return all.stream().filter(r -> r.path().equals(path) && r.json().getJsonObject("data") != null
                && r.json().getJsonObject("data").getJsonObject("contact") != null
                && r.json().getJsonObject("data").getJsonObject("contact").getLong("id") == contactId).toList();
    }

    @Test
    void verifiedEndpointsGetSignedDeliveriesOfTheirWorkspaceAndFilters() throws Exception {
        var ok = register("/ok", "[\"contact.*\"]");
        String secret = ok.getString("data.secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSizeGreaterThanOrEqualTo(32);
        assertThat(ok.getString("data.status")).isEqualTo("active");
        long okId = ok.getLong("data.id");
        var wrong = register("/wrong", "[\"*\"]");
        assertThat(wrong.getString("data.status")).as("a wrong echo stays pending").isEqualTo("pending_verification");
        // The secret is shown once; another workspace sees nothing of this endpoint.
        signed().get(HOOKS + "/" + okId).then().statusCode(200).body("data.secret", nullValue()).body("data.status", equalTo("active"));
        inWorkspace("beta").get(HOOKS + "/" + okId).then().statusCode(404);
        inWorkspace("beta").delete(HOOKS + "/" + okId).then().statusCode(404);
        assertThat(inWorkspace("beta").get(HOOKS).then().statusCode(200).extract().jsonPath().getList("data.id")).doesNotContain((int) okId);

        long contact = json("{\"name\":\"Hooked\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
        json("{\"name\":\"Hook group " + TestData.uniquePhone() + "\"}").post("/api/developer/contact-groups").then().statusCode(201);
        long betaContact = inWorkspace("beta").contentType("application/json")
                .body("{\"name\":\"Beta\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();

        List<Received> all = await(r -> about(r, "/ok", contact).size() == 1);
        List<Received> mine = about(all, "/ok", contact);
        assertThat(mine).hasSize(1);
        Received delivery = mine.get(0);
        JsonObject event = delivery.json();
        assertThat(event.getString("type")).isEqualTo("contact.created");
        assertThat(event.getString("workspace")).isEqualTo("alpha");
        assertThat(delivery.headers().get("webhook-id")).isEqualTo("evt_" + event.getLong("id"));

        // Both signatures, checked by code of this test (javax.crypto), not the service's.
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        String timestamp = delivery.headers().get("webhook-timestamp");
        String standard = Base64.getEncoder().encodeToString(hmac(key,
                delivery.headers().get("webhook-id") + "." + timestamp + "." + delivery.body()));
        assertThat(delivery.headers().get("webhook-signature")).isEqualTo("v1," + standard);
        assertThat(delivery.headers().get("X-Timestamp")).isEqualTo(timestamp);
        assertThat(delivery.headers().get("X-Awal-Signature-256"))
                .isEqualTo("sha256=" + HexFormat.of().formatHex(hmac(key, timestamp + "." + delivery.body())));

        // Filters and tenancy: no group event, no beta event; the unverified endpoint got only its challenge.
        assertThat(all.stream().filter(r -> r.path().equals("/ok")).map(r -> r.json().getString("type")))
                .allMatch(type -> type.equals("verification") || type.startsWith("contact."));
        assertThat(all.stream().filter(r -> r.path().equals("/ok") && r.json().getString("workspace") != null)
                .map(r -> r.json().getString("workspace"))).containsOnly("alpha");
        assertThat(about(all, "/ok", betaContact)).isEmpty();
        assertThat(all.stream().filter(r -> r.path().equals("/wrong")).map(r -> r.json().getString("type"))).containsOnly("verification");
    }

    @Test
    void failuresAreRetriedWithTheSameIdAnd410Disables() {
        register("/flaky", "[\"contact.created\"]");
        long goneId = register("/gone", "[\"contact.created\"]").getLong("data.id");
        long contact = json("{\"name\":\"Retried\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();

        List<Received> all = await(r -> about(r, "/flaky", contact).size() >= 2 && !about(r, "/gone", contact).isEmpty()
                && "disabled".equals(signed().get(HOOKS + "/" + goneId).then().extract().path("data.status")));
        List<Received> flaky = about(all, "/flaky", contact);
        assertThat(flaky).hasSizeGreaterThanOrEqualTo(2);
        assertThat(flaky).extracting(r -> r.headers().get("webhook-id")).containsOnly(flaky.get(0).headers().get("webhook-id"));
        signed().get(HOOKS + "/" + goneId).then().statusCode(200).body("data.status", equalTo("disabled"))
                .body("data.disabled_reason", equalTo("The endpoint answered 410 Gone"));
        assertThat(about(all, "/gone", contact)).hasSize(1);
    }

    /**
     * Several dispatchers at once (as replicas would run them, plus the scheduled one): each event is
     * claimed by one of them, so the receiver gets each exactly once.
     */
    @Test
    void racingDispatchersDeliverEachEventOnce() throws Exception {
        register("/ok", "[\"contact.created\"]");
        List<Long> contacts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            contacts.add(json("{\"name\":\"Once\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                    .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201).extract().<Number>path("data.id").longValue());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    for (int round = 0; round < 5; round++) {
                        dispatcher.runOnce().await().atMost(java.time.Duration.ofSeconds(30));
                    }
                    return null;
                }));
            }
            for (var run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Received> all = await(r -> contacts.stream().allMatch(id -> !about(r, "/ok", id).isEmpty()));
        for (long id : contacts) {
            assertThat(about(all, "/ok", id)).as("contact %d", id).hasSize(1);
        }
    }

    @Test
    void badRegistrationsAre422NamingTheField() {
        json("{\"url\":\"ftp://example.com/x\"}").post(HOOKS).then().statusCode(422).body("details.url", equalTo("must be an http or https URL"));
        json("{\"events\":[\"*\"]}").post(HOOKS).then().statusCode(422).body("details.url", org.hamcrest.Matchers.notNullValue());
        json("{\"url\":\"https://example.com/x\",\"events\":[\"contact.%\"]}").post(HOOKS).then().statusCode(422)
                .body("details.events", org.hamcrest.Matchers.notNullValue());
        json("[1]").post(HOOKS).then().statusCode(400).body("details.body", equalTo("must be a JSON object"));
        signed().get(HOOKS + "/999999999").then().statusCode(404).body("error", equalTo("resource_not_found"));
    }

    private static byte[] hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
