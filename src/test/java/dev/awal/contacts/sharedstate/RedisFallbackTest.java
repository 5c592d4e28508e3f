package dev.awal.contacts.sharedstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * A replica whose Redis is down keeps serving from in-process state, warns once, and goes back to
 * Redis when it returns. The Redis here is a real redis-server this test starts on a free port.
 */
class RedisFallbackTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger(RedisState.class.getName());

    private Vertx vertx;
    private Redis client;
    private RedisState state;
    private int port;
    private Process redisServer;

    @BeforeEach
    void pointAtAClosedPort() throws IOException {
        logger.addHandler(capture);
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, "redis://127.0.0.1:" + port);
        state = new RedisState(client, new InProcessState(1000), "fallback-test:", Duration.ofSeconds(1),
                Duration.ofMillis(100));
    }

    @AfterEach
    void stop() throws InterruptedException {
        logger.removeHandler(capture);
        if (redisServer != null) {
            redisServer.destroy();
            redisServer.waitFor();
        }
        client.close();
        vertx.closeAndAwait();
    }

    @Test
    void servesFromMemoryWhileRedisIsDownAndSaysSoOnce() {
        for (long expected = 1; expected <= 5; expected++) {
            assertThat(state.hit("rate:k", MINUTE).await().atMost(WAIT).hits()).isEqualTo(expected);
        }
        assertThat(state.rememberOnce("replay:r", MINUTE).await().atMost(WAIT)).isTrue();
        assertThat(state.rememberOnce("replay:r", MINUTE).await().atMost(WAIT)).isFalse();

        assertThat(messages(Level.WARNING)).singleElement().asString()
                .contains("Redis is unreachable")
                .contains("fall back to this replica's memory");
    }

    @Test
    void returnsToRedisWhenItIsBack() throws Exception {
        for (long expected = 1; expected <= 5; expected++) {
            assertThat(state.hit("rate:back", MINUTE).await().atMost(WAIT).hits()).isEqualTo(expected);
        }
        startRedis();
        // Each call is served (from memory until a probe, at most every 100 ms, finds Redis again).
        awaitRedisAgain("rate:back");

        long inRedis = state.hit("rate:back", MINUTE).await().atMost(WAIT).hits();
        assertThat(client.send(Request.cmd(Command.GET).arg("fallback-test:rate:back")).await().atMost(WAIT).toLong())
                .isEqualTo(inRedis);
        // The in-process count had passed 5 already; Redis started its own window from 1.
        assertThat(inRedis).isLessThan(5);
    }

    /**
     * A write accepted while Redis was down is remembered in this replica's memory only; once Redis is back, the same
     * signature sent to this replica again was accepted (Redis had never seen it). Still refused now.
     */
    @Test
    void aSignatureRememberedDuringAnOutageIsStillRefusedWhenRedisIsBack() throws Exception {
        assertThat(state.rememberOnce("replay:outage", MINUTE).await().atMost(WAIT)).isTrue();
        startRedis();
        awaitRedisAgain("rate:probe");
        assertThat(state.rememberOnce("replay:outage", MINUTE).await().atMost(WAIT)).isFalse();
        // A new signature is remembered in Redis.
        assertThat(state.rememberOnce("replay:fresh", MINUTE).await().atMost(WAIT)).isTrue();
        assertThat(client.send(Request.cmd(Command.GET).arg("fallback-test:replay:fresh")).await().atMost(WAIT)).isNotNull();
    }

    /** Counts on {@code key} until the state says Redis is reachable again (a probe runs at most every 100 ms). */
    private void awaitRedisAgain(String key) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (messages(Level.INFO).isEmpty() && System.nanoTime() < deadline) {
            state.hit(key, MINUTE).await().atMost(WAIT);
            Thread.sleep(20);
        }
        assertThat(messages(Level.INFO)).singleElement().asString().contains("Redis is reachable again");
    }

    private void startRedis() throws Exception {
        redisServer = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Process ping = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port), "ping")
                    .redirectErrorStream(true).start();
            String answer = new String(ping.getInputStream().readAllBytes()).trim();
            ping.waitFor();
            if (answer.equals("PONG")) {
                return;
            }
            assertThat(System.nanoTime()).as("redis-server answers within %s", WAIT).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private List<String> messages(Level level) {
        return logged.stream()
                .filter(record -> record.getLevel().intValue() == level.intValue())
                .map(record -> record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage())
                .toList();
    }
}
