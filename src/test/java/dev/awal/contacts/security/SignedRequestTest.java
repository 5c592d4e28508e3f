package dev.awal.contacts.security;

import static dev.awal.contacts.support.Api.CLIENT;
import static dev.awal.contacts.support.Api.SECRET;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.RawHttp.assertEnvelope;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.HmacSigner;
import dev.awal.contacts.support.RawHttp;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
class SignedRequestTest {

    private static final String CONTACTS = "/api/developer/contacts";
    /** contacts.auth.timestamp-window of the test profile (the default). */
    private static final long WINDOW_SECONDS = 300;

    /** A request with hand-made auth headers, for tampering. */
    private static RequestSpecification manual(String method, String pathAndQuery, String body, long timestamp,
            String secret) {
        String[] parts = pathAndQuery.split("\\?", 2);
        String signature = HmacSigner.sign(secret, method, parts[0], parts.length > 1 ? parts[1] : null,
                String.valueOf(timestamp), body.getBytes(StandardCharsets.UTF_8));
        return given().urlEncodingEnabled(false)
                .header("X-Awal-Signature-256", "sha256=" + signature)
                .header("X-Timestamp", String.valueOf(timestamp))
                .header("X-Domain", WORKSPACE)
                .header("X-Client-ID", CLIENT);
    }

    private static String newContact() {
        return "{\"name\":\"Auth\",\"phone\":\"+" + TestData.uniquePhone() + "\"}";
    }

    @Test
    void missingHeadersAreNamed() {
        given().header("X-Client-ID", CLIENT).get(CONTACTS).then().statusCode(401)
                .body("status", equalTo(false))
                .body("error", equalTo("missing_headers"))
                .body("details", hasKey("X-Awal-Signature-256"))
                .body("details", hasKey("X-Timestamp"))
                .body("details", hasKey("X-Domain"))
                .body("details", org.hamcrest.Matchers.not(hasKey("X-Client-ID")))
                .body("request_id", notNullValue());
    }

    @Test
    void unknownClientIsRejected() {
        Api.as("nobody", SECRET, WORKSPACE).get(CONTACTS).then().statusCode(401)
                .body("error", equalTo("authentication_failed"))
                .body("message", containsString("Unknown client"));
    }

    @Test
    void wrongSecretIsRejected() {
        Api.as(CLIENT, "not-the-secret", WORKSPACE).get(CONTACTS).then().statusCode(401)
                .body("error", equalTo("authentication_failed"))
                .body("message", containsString("Signature mismatch"));
    }

    @Test
    void anyConfiguredSecretIsAcceptedForRotation() {
        Api.as(CLIENT, "rotated-secret", WORKSPACE).get(CONTACTS).then().statusCode(200);
    }

    @Test
    void tamperedBodyIsRejected() {
        long now = Instant.now().getEpochSecond();
        String signedBody = newContact();
        manual("POST", CONTACTS + "?phone_number_id=1", signedBody, now, SECRET)
                .contentType("application/json").body(signedBody.replace("Auth", "Evil"))
                .post(CONTACTS + "?phone_number_id=1").then().statusCode(401)
                .body("error", equalTo("authentication_failed"));
    }

    @Test
    void tamperedQueryIsRejected() {
        long now = Instant.now().getEpochSecond();
        manual("GET", CONTACTS + "?per_page=5", "", now, SECRET)
                .get(CONTACTS + "?per_page=50").then().statusCode(401)
                .body("error", equalTo("authentication_failed"));
    }

    @Test
    void signatureCoversTheRawQueryString() {
        long now = Instant.now().getEpochSecond();
        manual("GET", CONTACTS + "?search=%D8%A7%D8%AD%D9%85%D8%AF&per_page=5", "", now, SECRET)
                .get(CONTACTS + "?search=%D8%A7%D8%AD%D9%85%D8%AF&per_page=5").then().statusCode(200);
    }

    @Test
    void staleAndFutureTimestampsAreRejected() {
        Api.signedAt(CLIENT, SECRET, WORKSPACE, -301).get(CONTACTS).then().statusCode(401)
                .body("error", equalTo("authentication_failed"))
                .body("message", containsString("window"));
        // Well past the window: a timestamp 301 s ahead is only 300 s ahead once the server's clock has moved
        // on to the next second, which is inside the window (a test that failed when a second ticked over).
        Api.signedAt(CLIENT, SECRET, WORKSPACE, 310).get(CONTACTS).then().statusCode(401)
                .body("error", equalTo("authentication_failed"));
        Api.signedAt(CLIENT, SECRET, WORKSPACE, -250).get(CONTACTS).then().statusCode(200);
    }

    @Test
    void malformedSignatureAndTimestampAreRejected() {
        given().header("X-Awal-Signature-256", "md5=abc").header("X-Timestamp", "x")
                .header("X-Domain", WORKSPACE).header("X-Client-ID", CLIENT)
                .get(CONTACTS).then().statusCode(401).body("error", equalTo("authentication_failed"));
        given().header("X-Awal-Signature-256", "sha256=zz").header("X-Timestamp", String.valueOf(Instant.now().getEpochSecond()))
                .header("X-Domain", WORKSPACE).header("X-Client-ID", CLIENT)
                .get(CONTACTS).then().statusCode(401).body("error", equalTo("authentication_failed"));
    }

    @Test
    void replayedWriteIsRefusedButRepeatedReadIsNot() {
        long now = Instant.now().getEpochSecond();
        String body = newContact();
        String target = CONTACTS + "?phone_number_id=7";
        manual("POST", target, body, now, SECRET).contentType("application/json").body(body)
                .post(target).then().statusCode(201);
        manual("POST", target, body, now, SECRET).contentType("application/json").body(body)
                .post(target).then().statusCode(401)
                .body("error", equalTo("authentication_failed"))
                .body("message", containsString("Replayed"));

        manual("GET", CONTACTS, "", now, SECRET).get(CONTACTS).then().statusCode(200);
        manual("GET", CONTACTS, "", now, SECRET).get(CONTACTS).then().statusCode(200);
    }

    /**
     * The window is judged again once the body is in. A write's replay entry is kept only while its timestamp is
     * inside the window, so a captured write whose body was trickled in past the window used to be accepted a
     * second time after the original's entry had expired.
     */
    @Test
    void aWriteWhoseBodyEndsAfterTheWindowIsRefusedAndNothingIsWritten() throws Exception {
        String phone = TestData.uniquePhone();
        byte[] body = ("{\"name\":\"Slow\",\"phone\":\"+" + phone + "\"}").getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond() - WINDOW_SECONDS + 2;
        try (RawHttp http = new RawHttp(RestAssured.port)) {
            byte[] request = rawWrite(body, timestamp);
            int split = request.length - body.length / 2;
            http.send(Arrays.copyOf(request, split));
            // The headers were inside the window; the body ends once the timestamp has left it (the server's clock
            // is this machine's).
            while (Instant.now().getEpochSecond() - timestamp <= WINDOW_SECONDS) {
                Thread.sleep(100);
            }
            http.send(Arrays.copyOfRange(request, split, request.length));
            RawHttp.Response response = http.read();
            assertEnvelope(response, 401, "authentication_failed");
            assertThat(response.body(), containsString("window"));
        }
        Api.signed().get(CONTACTS + "/by-phone/" + phone).then().statusCode(404);

        // The same write sent whole at once, just as near the edge of the window, is accepted.
        RawHttp.Response response = RawHttp.exchange(RestAssured.port,
                rawWrite(body, Instant.now().getEpochSecond() - WINDOW_SECONDS + 2));
        assertThat(response.toString(), response.status(), equalTo(201));
        Api.signed().get(CONTACTS + "/by-phone/" + phone).then().statusCode(200);
    }

    /**
     * A body is read before its signature can be checked, so bodies held back by slow clients share a budget of
     * memory (1 MiB in the test profile, counted up to 256 KiB each): four bodies of 250 kB that never finish take
     * most of it, a fifth large one is refused with 503, and once the four hang up there is room again.
     */
    @Test
    void bodiesHeldBackBeyondTheMemoryBudgetAreRefused() throws Exception {
        byte[] large = ("{\"name\":\"" + "x".repeat(250_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        java.util.List<RawHttp> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                RawHttp http = new RawHttp(RestAssured.port);
                held.add(http);
                byte[] request = rawWrite(large, Instant.now().getEpochSecond());
                http.send(Arrays.copyOf(request, request.length - 10));
            }
            // The server reads the held bytes when it gets to them: ask until it has (at most 20 s, a hang detector).
            RawHttp.Response refused = null;
            for (int attempt = 0; attempt < 100 && refused == null; attempt++) {
                // Each attempt's own bytes: the same signed write twice in one second would be a replay (401).
                byte[] fifth = ("{\"name\":\"" + attempt + "x".repeat(250_000) + "\"}").getBytes(StandardCharsets.UTF_8);
                RawHttp.Response response = RawHttp.exchange(RestAssured.port, rawWrite(fifth, Instant.now().getEpochSecond()));
                if (response.status() == 503) {
                    refused = response;
                } else {
                    // Read whole before the others: refused as an invalid name (422), nothing written.
                    assertThat(response.toString(), response.status(), equalTo(422));
                    Thread.sleep(200);
                }
            }
            assertThat("a body beyond the budget was refused", refused, notNullValue());
            assertEnvelope(refused, 503, "service_unavailable");
            assertThat(refused.header("Retry-After"), notNullValue());
        } finally {
            for (RawHttp http : held) {
                http.close();
            }
        }
        String phone = TestData.uniquePhone();
        int status = 0;
        for (int attempt = 0; attempt < 100 && status != 201; attempt++) {
            byte[] small = ("{\"name\":\"After " + attempt + "\",\"phone\":\"+" + phone + "\"}").getBytes(StandardCharsets.UTF_8);
            status = RawHttp.exchange(RestAssured.port, rawWrite(small, Instant.now().getEpochSecond())).status();
            if (status != 201) {
                assertThat(status, equalTo(503));
                Thread.sleep(200);
            }
        }
        assertThat("room again once the held bodies are gone", status, equalTo(201));
    }

    private static byte[] rawWrite(byte[] body, long timestamp) {
        String query = "phone_number_id=1";
        String head = "POST " + CONTACTS + "?" + query + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                + "X-Client-ID: " + CLIENT + "\r\nX-Domain: " + WORKSPACE + "\r\nX-Timestamp: " + timestamp + "\r\n"
                + "X-Awal-Signature-256: sha256=" + HmacSigner.sign(SECRET, "POST", CONTACTS, query,
                        String.valueOf(timestamp), body)
                + "\r\nConnection: close\r\n\r\n";
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(bytes, bytes.length + body.length);
        System.arraycopy(body, 0, request, bytes.length, body.length);
        return request;
    }

    /**
     * For {@code /contacts?} Vert.x reports an empty query, and clients differ on whether a bare {@code ?} is part
     * of what they sign (JavaScript's {@code url.search} is "" for it): either form is accepted.
     */
    @Test
    void aBareQuestionMarkMayBeSignedOrLeftOut() throws IOException {
        for (String signedQuery : new String[] { null, "" }) {
            long now = Instant.now().getEpochSecond();
            String signature = HmacSigner.sign(SECRET, "GET", CONTACTS, signedQuery, String.valueOf(now), new byte[0]);
            RawHttp.Response response = RawHttp.exchange(RestAssured.port, "GET " + CONTACTS + "? HTTP/1.1\r\n"
                    + "Host: localhost\r\nX-Client-ID: " + CLIENT + "\r\nX-Domain: " + WORKSPACE + "\r\nX-Timestamp: "
                    + now + "\r\nX-Awal-Signature-256: sha256=" + signature + "\r\nConnection: close\r\n\r\n");
            assertThat("signed with query " + signedQuery + ": " + response, response.status(), equalTo(200));
        }
    }

    @Test
    void clientCannotUseAWorkspaceItIsNotAllowedIn() {
        Api.as(CLIENT, SECRET, "gamma").get(CONTACTS).then().statusCode(403)
                .body("error", equalTo("forbidden"));
        Api.as("other-client", "other-secret", "gamma").get(CONTACTS).then().statusCode(200);
    }

    @Test
    void multipartBodiesAreSignedAsRawBytes() {
        Bodies.Multipart form = Bodies.multipart().field("name", "Multi").field("phone", "+" + TestData.uniquePhone());
        Api.signed().contentType(form.contentType()).body(form.bytes())
                .post(CONTACTS + "?phone_number_id=3").then().statusCode(201)
                .body("data.name", equalTo("Multi"));

        long now = Instant.now().getEpochSecond();
        byte[] sent = form.bytes();
        String signature = HmacSigner.sign(SECRET, "POST", CONTACTS, "phone_number_id=3", String.valueOf(now),
                new String(sent, StandardCharsets.UTF_8).replace("Multi", "Mult1").getBytes(StandardCharsets.UTF_8));
        given().header("X-Awal-Signature-256", "sha256=" + signature).header("X-Timestamp", String.valueOf(now))
                .header("X-Domain", WORKSPACE).header("X-Client-ID", CLIENT)
                .contentType(form.contentType()).body(sent)
                .post(CONTACTS + "?phone_number_id=3").then().statusCode(401)
                .body("error", equalTo("authentication_failed"));
    }

    @Test
    void everyResponseCarriesRequestIdAndVersion() {
        Api.signed().header("X-Request-ID", "client-trace-42").get(CONTACTS).then().statusCode(200)
                .header("X-Request-ID", "client-trace-42").header("X-API-Version", "v1");
        given().header("X-Request-ID", "bad id with spaces <script>").get(CONTACTS).then().statusCode(401)
                .header("X-Request-ID", matchesPattern("[0-9a-f]{24}")).header("X-API-Version", "v1");
        given().get("/q/health/live").then().header("X-Request-ID", notNullValue());
    }

    @Test
    void unsupportedApiVersionIsRefused() {
        Api.signed().header("X-API-Version", "v2").get(CONTACTS).then().statusCode(400)
                .body("error", equalTo("unsupported_api_version"));
        Api.signed().header("X-API-Version", "v1").get(CONTACTS).then().statusCode(200);
    }

    @Test
    void publicEndpointsNeedNoSignature() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }
}
