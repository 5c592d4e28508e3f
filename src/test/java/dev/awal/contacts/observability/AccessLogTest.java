package dev.awal.contacts.observability;

import static dev.awal.contacts.support.Api.signed;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.RawHttp;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

@QuarkusTest
class AccessLogTest {

    /** Every log record of the application while a test runs, with its MDC captured at logging time. */
    private final List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ExtLogRecord ext = ExtLogRecord.wrap(record);
            ext.copyMdc();
            records.add(ext);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void theAsyncConsoleWritesInBatches() {
        // quarkus.log.console.async.enabled=true puts the console under an AsyncHandler; BatchedLogWrites replaced it
        // at start by an IntervalAsyncHandler over the same console, which flushes it once per batch.
        List<Handler> all = new java.util.ArrayList<>();
        collect(org.jboss.logmanager.LogContext.getLogContext().getLogger("").getHandlers(), all);
        List<IntervalAsyncHandler> batched = all.stream()
                .filter(IntervalAsyncHandler.class::isInstance).map(IntervalAsyncHandler.class::cast).toList();
        assertFalse(batched.isEmpty(), "no batching handler under the root logger: " + all);
        assertFalse(all.stream().anyMatch(org.jboss.logmanager.handlers.AsyncHandler.class::isInstance),
                "an AsyncHandler is still in use: " + all);
        for (IntervalAsyncHandler handler : batched) {
            Handler[] writers = handler.getHandlers();
            assertFalse(writers.length == 0, "nothing under " + handler);
            for (Handler writer : writers) {
                if (writer instanceof org.jboss.logmanager.handlers.WriterHandler w) {
                    assertFalse(w.isAutoFlush(), w + " still flushes every line");
                }
            }
        }
    }

    private static void collect(Handler[] handlers, List<Handler> found) {
        for (Handler handler : handlers) {
            found.add(handler);
            if (handler instanceof org.jboss.logmanager.ExtHandler parent) {
                collect(parent.getHandlers(), found);
            }
        }
    }

    @Test
    void eachRequestGetsExactlyOneLineWithMethodRouteStatusDurationAndRequestId() {
        long id = signed().contentType("application/json")
                .body("{\"name\":\"Logged\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=7").then().statusCode(201)
                .extract().jsonPath().getLong("data.id");
        String requestId = "log-" + UUID.randomUUID();
        signed().header("X-Request-ID", requestId).get("/api/developer/contacts/" + id).then().statusCode(200);
        // A later request's line proves the first request's logging is over before counting its lines.
        String later = "log-" + UUID.randomUUID();
        signed().header("X-Request-ID", later).get("/api/developer/contacts/" + id).then().statusCode(200);
        awaitAccessLine(later);

        List<ExtLogRecord> lines = accessLines(requestId);
        assertEquals(1, lines.size(), "access-log lines for one request");
        ExtLogRecord line = lines.get(0);
        assertEquals("GET", line.getMdc("method"));
        assertEquals("/api/developer/contacts/{id}", line.getMdc("route"));
        assertEquals("200", line.getMdc("status"));
        assertTrue(Double.parseDouble(line.getMdc("duration_ms")) >= 0);
        assertEquals(requestId, line.getMdc("request_id"));
        assertFalse(line.getFormattedMessage().contains("/contacts/" + id), "the raw path is not logged");
    }

    @Test
    void durationsAreMillisecondsWithOneDecimalRoundedHalfUp() {
        assertEquals("0.0", AccessLog.millis(0));
        assertEquals("0.0", AccessLog.millis(49_999));
        assertEquals("0.1", AccessLog.millis(50_000));
        assertEquals("12.3", AccessLog.millis(12_345_678));
        assertEquals("1000.0", AccessLog.millis(999_960_000));
        assertEquals("0.0", AccessLog.millis(-5), "a clock step back is not a negative duration");
    }

    @Test
    void aReroutedRequestIsStillOneLine() {
        String requestId = "log-" + UUID.randomUUID();
        // Swagger UI answers "/" by rerouting to index.html, which runs the route handlers twice.
        given().header("X-Request-ID", requestId).get("/q/swagger-ui/").then().statusCode(200);
        String later = "log-" + UUID.randomUUID();
        given().header("X-Request-ID", later).get("/q/health/live").then().statusCode(200);
        awaitAccessLine(later);
        assertEquals(1, accessLines(requestId).size(), "access-log lines for one rerouted request");
    }

    @Test
    void refusedRequestsAreLoggedUnderTheApiRoute() {
        String requestId = "log-" + UUID.randomUUID();
        given().header("X-Request-ID", requestId).get("/api/developer/contacts/12345").then().statusCode(401);
        ExtLogRecord line = awaitAccessLine(requestId);
        assertEquals("/api/developer/*", line.getMdc("route"));
        assertEquals("401", line.getMdc("status"));
    }

    @Test
    void aBodyTheDecoderRefusesIsLoggedWithTheStatusAnswered() {
        String requestId = "log-" + UUID.randomUUID();
        signed().header("X-Request-ID", requestId).contentType("application/x-www-form-urlencoded")
                .body("=nameless&name=Form").post("/api/developer/contacts?phone_number_id=7").then().statusCode(400);
        ExtLogRecord line = awaitAccessLine(requestId);
        assertEquals("400", line.getMdc("status"));
    }

    @Test
    void requestsRefusedBeforeRoutingAreLogged() throws IOException, InterruptedException {
        RawHttp.awaitPreRoutingRefusals(RestAssured.port);
        String requestId = "log-" + UUID.randomUUID();
        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                "GET /api/developer/contacts/%zz HTTP/1.1\r\nHost: localhost\r\nX-Request-ID: " + requestId + "\r\n\r\n");
        assertEquals(400, response.status());
        ExtLogRecord line = awaitAccessLine(requestId);
        assertEquals("REFUSED", line.getMdc("route"));
        assertEquals("400", line.getMdc("status"));
        assertFalse(line.getFormattedMessage().contains("%zz"), "the raw target is not logged");
    }

    @Test
    void noSecretSignatureOrBodyReachesAnyLog() {
        String marker = "body-marker-" + UUID.randomUUID();
        String requestId = "log-" + UUID.randomUUID();
        // Valid, then malformed, then wrongly signed: the paths most tempted to log what they saw.
        signed().header("X-Request-ID", requestId).contentType("application/json")
                .body("{\"name\":\"" + marker + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=7").then().statusCode(201);
        signed().contentType("application/json").body("{\"name\":\"" + marker + "\",")
                .post("/api/developer/contacts?phone_number_id=7").then().statusCode(400);
        String last = "log-" + UUID.randomUUID();
        Api.as(Api.CLIENT, "wrong-" + marker, Api.WORKSPACE).header("X-Request-ID", last).contentType("application/json")
                .body("{\"name\":\"" + marker + "\"}")
                .post("/api/developer/contacts?phone_number_id=7").then().statusCode(401);
        awaitAccessLine(last);

        for (ExtLogRecord record : records) {
            String text = record.getFormattedMessage() + " " + record.getMdcCopy();
            assertFalse(text.contains(marker), "body or secret in a log line: " + text);
            assertFalse(text.contains(Api.SECRET), "secret in a log line: " + text);
            assertFalse(text.contains("sha256="), "signature in a log line: " + text);
        }
    }

    private List<ExtLogRecord> accessLines(String requestId) {
        return records.stream()
                .filter(r -> AccessLog.CATEGORY.equals(r.getLoggerName()))
                .filter(r -> requestId.equals(r.getMdc("request_id")))
                .toList();
    }

    private ExtLogRecord awaitAccessLine(String requestId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            List<ExtLogRecord> found = accessLines(requestId);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no access-log line for request " + requestId);
    }
}
