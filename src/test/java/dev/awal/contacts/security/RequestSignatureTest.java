package dev.awal.contacts.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.api.AuthenticationFailure;
import dev.awal.contacts.api.AuthenticationFailure.Reason;

/** The signature without HTTP: what is signed, how the body is fed in, how secrets and headers are judged. */
class RequestSignatureTest {

    private static final String BODY = "{\"name\":\"Sara\",\"phone\":\"+966501234567\"}";

    @Test
    void signsMethodPathQueryAndTimestampInThatOrder() {
        assertEquals("GET/contacts?page=2&q=a1700000000",
                RequestSignature.stringToSign("GET", "/contacts", "page=2&q=a", "1700000000"));
        assertEquals("POST/contacts1700000000", RequestSignature.stringToSign("POST", "/contacts", null, "1700000000"));
    }

    @Test
    void acceptsTheHmacAClientComputesHoweverTheBodyIsChunked() throws Exception {
        byte[] expected = clientSignature("s3cret", "POST/contacts1700000000" + BODY);
        RequestSignature whole = new RequestSignature(List.of("s3cret"), "POST", "/contacts", null, "1700000000");
        whole.update(ByteBuffer.wrap(BODY.getBytes(StandardCharsets.UTF_8)));
        assertTrue(whole.matches(expected));

        RequestSignature chunked = new RequestSignature(List.of("s3cret"), "POST", "/contacts", null, "1700000000");
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            chunked.update(ByteBuffer.wrap(bytes, i, Math.min(7, bytes.length - i)));
        }
        assertTrue(chunked.matches(expected));
    }

    @Test
    void anyOfTheClientsSecretsMatchesSoSecretsCanRotate() throws Exception {
        byte[] signedWithNew = clientSignature("new-secret", "DELETE/contacts/71700000000");
        RequestSignature signature = new RequestSignature(List.of("old-secret", "new-secret"), "DELETE", "/contacts/7",
                null, "1700000000");
        assertTrue(signature.matches(signedWithNew));
    }

    @Test
    void requestsWithoutABodyAndRequestsHalfwayThroughTheirsDoNotMix() throws Exception {
        byte[] bodyExpected = clientSignature("s3cret", "POST/contacts1700000000" + BODY);
        byte[] bytes = BODY.getBytes(StandardCharsets.UTF_8);
        RequestSignature halfway = new RequestSignature(List.of("s3cret"), "POST", "/contacts", null, "1700000000");
        halfway.update(ByteBuffer.wrap(bytes, 0, 10));

        // Bodyless requests of the same secret on the same thread, one refused, while the body is still coming.
        assertFalse(new RequestSignature(List.of("s3cret"), "GET", "/contacts/8", null, "1700000000")
                .matches(clientSignature("s3cret", "GET/contacts/71700000000")));
        assertTrue(new RequestSignature(List.of("s3cret"), "GET", "/contacts/7", null, "1700000000")
                .matches(clientSignature("s3cret", "GET/contacts/71700000000")));
        assertTrue(new RequestSignature(List.of("s3cret"), "GET", "/contacts", "page=2", "1700000001")
                .matches(clientSignature("s3cret", "GET/contacts?page=21700000001")));

        halfway.update(ByteBuffer.wrap(bytes, 10, bytes.length - 10));
        assertTrue(halfway.matches(bodyExpected));
    }

    @Test
    void refusesAnotherBodyPathTimestampOrSecret() throws Exception {
        byte[] expected = clientSignature("s3cret", "POST/contacts1700000000" + BODY);
        assertFalse(signed("s3cret", "POST", "/contacts", "1700000000", BODY + " ").matches(expected));
        assertFalse(signed("s3cret", "POST", "/groups", "1700000000", BODY).matches(expected));
        assertFalse(signed("s3cret", "POST", "/contacts", "1700000001", BODY).matches(expected));
        assertFalse(signed("other", "POST", "/contacts", "1700000000", BODY).matches(expected));
        assertFalse(signed("s3cret", "PUT", "/contacts", "1700000000", BODY).matches(expected));
    }

    @Test
    void aBareQuestionMarkMayBeSignedOrLeftOutWithOrWithoutABody() throws Exception {
        for (String signed : List.of("GET/contacts?1700000000", "GET/contacts1700000000")) {
            assertTrue(new RequestSignature(List.of("s3cret"), "GET", "/contacts", "", "1700000000")
                    .matches(clientSignature("s3cret", signed)), signed);
        }
        for (String signed : List.of("POST/contacts?1700000000" + BODY, "POST/contacts1700000000" + BODY)) {
            RequestSignature signature = new RequestSignature(List.of("old", "s3cret"), "POST", "/contacts", "",
                    "1700000000");
            signature.update(ByteBuffer.wrap(BODY.getBytes(StandardCharsets.UTF_8)));
            assertTrue(signature.matches(clientSignature("s3cret", signed)), signed);
        }
        // Only an empty query may be left out; a request without one is not signed with a "?".
        assertFalse(new RequestSignature(List.of("s3cret"), "GET", "/contacts", "page=2", "1700000000")
                .matches(clientSignature("s3cret", "GET/contacts1700000000")));
        assertFalse(new RequestSignature(List.of("s3cret"), "GET", "/contacts", null, "1700000000")
                .matches(clientSignature("s3cret", "GET/contacts?1700000000")));
    }

    @Test
    void readsTheClaimedSignatureInEitherCase() {
        String hex = "ab".repeat(32);
        assertArrayEquals(HexFormat.of().parseHex(hex), RequestSignature.claimed("sha256=" + hex));
        assertArrayEquals(HexFormat.of().parseHex(hex), RequestSignature.claimed("sha256=" + hex.toUpperCase()));
    }

    @Test
    void refusesMalformedSignatureHeaders() {
        for (String header : List.of("ab".repeat(32), "sha256=" + "ab".repeat(31), "sha256=" + "zz".repeat(32),
                "sha1=" + "ab".repeat(32), "sha256=" + "ab".repeat(33))) {
            AuthenticationFailure failure = assertThrows(AuthenticationFailure.class, () -> RequestSignature.claimed(header));
            assertEquals(Reason.BAD_SIGNATURE, failure.reason(), header);
        }
    }

    @Test
    void acceptsTimestampsInsideTheWindowEitherWay() {
        assertEquals(1_700_000_000L, RequestSignature.timestamp("1700000000", 1_700_000_300L, 300));
        assertEquals(1_700_000_600L, RequestSignature.timestamp("1700000600", 1_700_000_300L, 300));
    }

    @Test
    void refusesStaleAndMalformedTimestampsWithTheirOwnReason() {
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(AuthenticationFailure.class,
                () -> RequestSignature.timestamp("1699999999", 1_700_000_300L, 300)).reason());
        assertEquals(Reason.STALE_TIMESTAMP, assertThrows(AuthenticationFailure.class,
                () -> RequestSignature.timestamp("1700000601", 1_700_000_300L, 300)).reason());
        for (String header : List.of("", "-1700000000", "1700000000.5", "17e8", "1234567890123", "now", "\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660")) {
            assertEquals(Reason.BAD_TIMESTAMP, assertThrows(AuthenticationFailure.class,
                    () -> RequestSignature.timestamp(header, 1_700_000_300L, 300)).reason(), header);
        }
    }

    private static RequestSignature signed(String secret, String method, String path, String timestamp, String body) {
        RequestSignature signature = new RequestSignature(List.of(secret), method, path, null, timestamp);
        signature.update(ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
        return signature;
    }

    /** What a client computes, independently of the class under test. */
    private static byte[] clientSignature(String secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    }
}
