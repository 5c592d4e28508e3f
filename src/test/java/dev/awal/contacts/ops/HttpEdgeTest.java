package dev.awal.contacts.ops;

import static dev.awal.contacts.support.RawHttp.assertEnvelope;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * What the HTTP layer refuses before any route runs still answers in the error envelope with
 * X-Request-ID and X-API-Version, and h2c is not spoken. Sent over a raw socket: no HTTP client
 * sends these.
 */
@QuarkusTest
class HttpEdgeTest {

    @BeforeEach
    void refusalsInPlace() throws IOException, InterruptedException {
        RawHttp.awaitPreRoutingRefusals(RestAssured.port);
    }

    private static RawHttp.Response send(String request) throws IOException {
        return RawHttp.exchange(RestAssured.port, request);
    }

    @Test
    void badEscapeInThePathIsABadRequest() throws IOException {
        RawHttp.Response response = send("GET /api/developer/contacts/%zz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEnvelope(response, 400, "bad_request");
        assertThat(response.body(), containsString("escape"));
        assertThat(response.header("Connection"), equalTo("close"));
    }

    /**
     * Routes match the path with its ';' parameters, the REST layer matches it without them: a ';' in the API's prefix
     * reached the contacts resource past the signature check, the body reader and the rate limits, and answered 500
     * with a stack trace in the log. No endpoint takes matrix parameters; a ';' in a path is refused before routing.
     */
    @Test
    void aSemicolonInThePathIsRefusedBeforeAnyRoute() throws IOException {
        for (String path : new String[] { "/api;x/developer/contacts", "/api/developer;x/events", "/api/developer/contacts;v=1",
                "/;/api/developer/contacts" }) {
            RawHttp.Response response = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEnvelope(response, 400, "bad_request");
            assertThat(response.body(), containsString("';'"));
        }
        // An encoded ';' is data, not a delimiter: it reaches the routes (and, unsigned, is refused there).
        assertEnvelope(send("GET /api/developer/contacts/by-phone/1%3B2 HTTP/1.1\r\nHost: localhost\r\n\r\n"), 401, "missing_headers");
        // A ';' in the query is a query character like any other.
        assertEnvelope(send("GET /api/developer/contacts?search=a;b HTTP/1.1\r\nHost: localhost\r\n\r\n"), 401, "missing_headers");
    }

    @Test
    void theMediaPrefixAloneIsNotFound() {
        RestAssured.given().get("/media").then().statusCode(404);
        RestAssured.given().head("/media").then().statusCode(404);
    }

    @Test
    void badEscapeInTheQueryIsABadRequest() throws IOException {
        assertEnvelope(send("GET /api/developer/contacts?search=%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n\r\n"),
                400, "bad_request");
    }

    @Test
    void controlCharacterInAHeaderIsABadRequest() throws IOException {
        assertEnvelope(send("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nX-Note: a\u0001b\r\n\r\n"),
                400, "bad_request");
    }

    @Test
    void controlCharacterInAHeaderNameIsABadRequest() throws IOException {
        assertEnvelope(send("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\nX-N\u0000ote: ab\r\n\r\n"),
                400, "bad_request");
    }

    @Test
    void aClientRequestIdIsKeptOnARefusal() throws IOException {
        RawHttp.Response response = send("GET /api/developer/contacts/%zz HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Request-ID: edge-test-1\r\n\r\n");
        assertEnvelope(response, 400, "bad_request");
        assertThat(response.header("X-Request-ID"), equalTo("edge-test-1"));
    }

    @Test
    void tooLongAUriIs414() throws IOException {
        RawHttp.Response response = send("GET /api/developer/contacts?search=" + "a".repeat(10_000)
                + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEnvelope(response, 414, "uri_too_long");
    }

    @Test
    void tooLargeHeadersAre431() throws IOException {
        RawHttp.Response response = send("GET /api/developer/contacts HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Padding: " + "a".repeat(30_000) + "\r\n\r\n");
        assertEnvelope(response, 431, "headers_too_large");
    }

    @Test
    void anH2cUpgradeIsIgnored() throws IOException {
        RawHttp.Response response = send("GET /q/health/live HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
        assertThat(response.toString(), response.status(), equalTo(200));
        assertThat(response.header("Upgrade"), equalTo(null));
        assertThat(response.body(), containsString("\"status\": \"UP\""));
    }

    @Test
    void anHttp2PrefaceInCleartextIsNotAnsweredInHttp2() throws IOException {
        RawHttp.Response response = send("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        assertTrue(response == null || response.status() >= 400, "no HTTP/2 session in cleartext: " + response);
        if (response != null) {
            assertThat(response.body(), not(containsString("Exception")));
        }
    }

    @Test
    void theConnectionIsClosedAfterARefusal() throws IOException {
        try (RawHttp http = new RawHttp(RestAssured.port)) {
            http.send("GET /a%zz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /q/health/live HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEnvelope(http.read(), 400, "bad_request");
            assertTrue(http.closedByServer(), "nothing after a refused request is read as a request");
        }
    }
}
