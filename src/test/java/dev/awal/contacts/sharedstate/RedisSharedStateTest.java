package dev.awal.contacts.sharedstate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.ratelimit.OperationClass;
import dev.awal.contacts.ratelimit.RateLimitConfig;
import dev.awal.contacts.ratelimit.RateLimiter;
import dev.awal.contacts.ratelimit.RateLimiter.Decision;
import dev.awal.contacts.security.AuthConfig;
import dev.awal.contacts.security.ReplayGuard;
import dev.awal.contacts.sharedstate.SharedState.WindowCount;
import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.HmacSigner;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.RedisOptions;
import io.restassured.specification.RequestSpecification;

/**
 * The service shares the machine's Redis (127.0.0.1:6379) with a second replica built in this test
 * the way the service builds its own: the same classes, the same key prefix, its own Redis
 * connection. Keys carry a prefix unique to this run and are deleted afterwards; nothing else in
 * Redis is touched.
 */
@QuarkusTest
@TestProfile(RedisSharedStateTest.SharedRedis.class)
class RedisSharedStateTest {

    private static final String REDIS = "redis://127.0.0.1:6379";
    private static final String CLIENT = "shared-client";
    private static final String SECRET = "shared-secret";
    private static final Duration WAIT = Duration.ofSeconds(10);

    public static class SharedRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.redis.hosts", REDIS,
                    "contacts.shared-state.redis-key-prefix", "contacts-test-" + UUID.randomUUID() + ":",
                    "%test.contacts.rate-limits.list-contacts", "3/1m",
                    "contacts.auth.clients.\"shared-client\".secrets", SECRET,
                    "contacts.auth.clients.\"shared-client\".workspaces", "shared-list,replay");
        }
    }

    @Inject
    Vertx vertx;
    @Inject
    SharedStateConfig sharedConfig;
    @Inject
    RateLimitConfig limits;
    @Inject
    AuthConfig auth;
    @Inject
    SharedState serviceState;

    private Redis secondConnection;
    private RedisState secondReplica;

    @BeforeEach
    void startSecondReplica() {
        // Pooled like the service's client (application.properties), as a second replica would be.
        secondConnection = Redis.createClient(vertx, new RedisOptions().setConnectionString(REDIS)
                .setMaxPoolSize(16).setMaxPoolWaiting(2048));
        secondReplica = new RedisState(secondConnection, new InProcessState(1000), sharedConfig.redisKeyPrefix(),
                sharedConfig.redisTimeout(), sharedConfig.redisRetryInterval());
    }

    @AfterEach
    void deleteThisRunsKeys() {
        String cursor = "0";
        do {
            Response page = redis(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH")
                    .arg(sharedConfig.redisKeyPrefix() + "*").arg("COUNT").arg(1000));
            cursor = page.get(0).toString();
            for (Response key : page.get(1)) {
                redis(Request.cmd(Command.DEL).arg(key.toString()));
            }
        } while (!cursor.equals("0"));
        secondConnection.close();
    }

    private Response redis(Request request) {
        return secondConnection.send(request).await().atMost(WAIT);
    }

    @Test
    void twoReplicasDrawOnOneBudget() {
        RateLimiter otherReplica = new RateLimiter(limits, secondReplica);
        String list = "/api/developer/contacts";

        Api.as(CLIENT, SECRET, "shared-list").get(list).then().statusCode(200)
                .header("X-RateLimit-Limit", "3").header("X-RateLimit-Remaining", "2");
        Decision second = otherReplica.hit(CLIENT, "shared-list", OperationClass.LIST_CONTACTS).await().atMost(WAIT);
        assertThat(second.hits()).isEqualTo(2);
        assertThat(second.allowed()).isTrue();
        Api.as(CLIENT, SECRET, "shared-list").get(list).then().statusCode(200)
                .header("X-RateLimit-Remaining", "0");
        assertThat(otherReplica.hit(CLIENT, "shared-list", OperationClass.LIST_CONTACTS).await().atMost(WAIT)
                .allowed()).isFalse();
        Api.as(CLIENT, SECRET, "shared-list").get(list).then().statusCode(429)
                .body("error", equalTo("rate_limit_exceeded"));

        // One counter in Redis, expiring with the window.
        String key = sharedConfig.redisKeyPrefix() + "rate:list-contacts:shared-client:shared-list";
        assertThat(redis(Request.cmd(Command.GET).arg(key)).toLong()).isEqualTo(5);
        assertThat(redis(Request.cmd(Command.PTTL).arg(key)).toLong()).isBetween(1L, 60_000L);
    }

    @Test
    void aWriteAcceptedByOneReplicaIsRefusedByTheOther() {
        ReplayGuard otherReplica = new ReplayGuard(auth, secondReplica);
        String groups = "/api/developer/contact-groups";

        // Accepted by the service first: the other replica recognises the replay.
        long timestamp = Instant.now().getEpochSecond();
        String body = "{\"name\":\"Shared " + UUID.randomUUID() + "\"}";
        String signature = sign("POST", groups, body, timestamp);
        presigned(signature, timestamp).contentType("application/json").body(body).post(groups)
                .then().statusCode(201);
        assertThatThrownBy(() -> otherReplica.refuseReplay(CLIENT, signature, timestamp).await().atMost(WAIT))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
                .hasMessageContaining("Replayed");

        // Accepted by the other replica first: the service refuses the same signed request.
        String otherBody = "{\"name\":\"Shared " + UUID.randomUUID() + "\"}";
        String otherSignature = sign("POST", groups, otherBody, timestamp);
        otherReplica.refuseReplay(CLIENT, otherSignature, timestamp).await().atMost(WAIT);
        presigned(otherSignature, timestamp).contentType("application/json").body(otherBody).post(groups)
                .then().statusCode(401)
                .body("error", equalTo("authentication_failed"))
                .body("message", containsString("Replayed"));

        // The replay entry lives as long as the timestamp stays inside the window, no longer.
        long ttl = redis(Request.cmd(Command.PTTL).arg(sharedConfig.redisKeyPrefix() + "replay:" + CLIENT + ":"
                + otherSignature)).toLong();
        assertThat(ttl).isBetween(1L, (auth.timestampWindow().toSeconds() + 1) * 1000);
    }

    @Test
    void concurrentHitsFromTwoReplicasAreNeverLost() {
        String key = "race:" + UUID.randomUUID();
        List<Uni<WindowCount>> hits = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            hits.add((i % 2 == 0 ? serviceState : secondReplica).hit(key, Duration.ofMinutes(1)));
        }
        List<WindowCount> counted = Uni.join().all(hits).andFailFast().await().atMost(WAIT);
        assertThat(counted).extracting(WindowCount::hits)
                .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(redis(Request.cmd(Command.GET).arg(sharedConfig.redisKeyPrefix() + key)).toLong()).isEqualTo(100);
    }

    @Test
    void exactlyOneReplicaWinsARememberedKey() {
        String key = "once:" + UUID.randomUUID();
        List<Uni<Boolean>> attempts = IntStream.range(0, 40)
                .mapToObj(i -> (i % 2 == 0 ? serviceState : secondReplica).rememberOnce(key, Duration.ofMinutes(1)))
                .toList();
        List<Boolean> won = Uni.join().all(attempts).andFailFast().await().atMost(WAIT);
        assertThat(won).containsOnlyOnce(true).hasSize(40);
    }

    private static String sign(String method, String path, String body, long timestamp) {
        return HmacSigner.sign(SECRET, method, path, null, String.valueOf(timestamp),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static RequestSpecification presigned(String signature, long timestamp) {
        return given().header("X-Awal-Signature-256", "sha256=" + signature)
                .header("X-Timestamp", String.valueOf(timestamp))
                .header("X-Domain", "replay")
                .header("X-Client-ID", CLIENT);
    }
}
