package dev.awal.contacts.badinput;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The suite's own judge must be able to fail: each rule is shown catching its defect. */
class VerdictTest {

    private static final String ENVELOPE = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Bad\","
            + "\"details\":null,\"request_id\":\"r1\"}";

    private static RawHttp.Response response(int status, String contentType, String body, String requestId) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("content-type", List.of(contentType));
        }
        if (requestId != null) {
            headers.put("x-request-id", List.of(requestId));
        }
        headers.put("x-api-version", List.of("v1"));
        return new RawHttp.Response(status, "", headers, body.getBytes(UTF_8), null);
    }

    @Test
    void theEnvelopeWithItsHeadersPasses() {
        assertEquals(List.of(), Verdict.problems(false, false, response(400, "application/json", ENVELOPE, "r1")));
        assertEquals(List.of(), Verdict.problems(false, false, response(200, "application/json", "{\"status\":true}", "r2")));
    }

    @Test
    void serverErrorsAndMissingAnswersFail() {
        assertTrue(Verdict.problems(false, false, response(500, "application/json", ENVELOPE, "r1")).stream()
                .anyMatch(p -> p.contains("server error 500")));
        assertTrue(Verdict.problems(false, false, RawHttp.Response.failed("no answer within 20000 ms")).stream()
                .anyMatch(p -> p.contains("no answer")));
        assertTrue(Verdict.problems(false, false, response(101, null, "", "r1")).stream()
                .anyMatch(p -> p.contains("101")));
    }

    @Test
    void aNon2xxWithoutTheEnvelopeFails() {
        assertTrue(Verdict.problems(false, false, response(400, "text/plain", "Bad Request", "r1")).stream()
                .anyMatch(p -> p.contains("not JSON")));
        assertTrue(Verdict.problems(false, false, response(404, "application/json", "{\"status\":false}", "r1")).stream()
                .anyMatch(p -> p.contains("error missing")));
        assertTrue(Verdict.problems(false, false, response(400, "application/json", ENVELOPE, null)).stream()
                .anyMatch(p -> p.contains("X-Request-ID")));
        assertTrue(Verdict.problems(false, false, response(400, "application/json", ENVELOPE, "other")).stream()
                .anyMatch(p -> p.contains("request_id differs")));
    }

    @Test
    void leaksAreFoundInBodies() {
        String leaky = ENVELOPE.replace("\"Bad\"", "\"java.lang.NullPointerException: Cannot invoke\"");
        List<String> problems = Verdict.problems(false, false, response(400, "application/json", leaky, "r1"));
        assertTrue(problems.stream().anyMatch(p -> p.contains("'java.'")));
        assertTrue(problems.stream().anyMatch(p -> p.contains("'Exception'")));
        assertTrue(Verdict.problems(false, false, response(400, "application/json",
                ENVELOPE.replace("\"Bad\"", "\"ERROR: invalid byte sequence\""), "r1")).stream()
                .anyMatch(p -> p.contains("ERROR:")));
    }

    @Test
    void aHeadAnswerNeedsTheEnvelopeHeadersButNoBody() {
        assertEquals(List.of(), Verdict.problems(false, true, response(405, "application/json", "", "r1")));
        assertTrue(Verdict.problems(false, true, response(405, null, "", null)).stream()
                .anyMatch(p -> p.contains("X-Request-ID")));
    }

    @Test
    void aRefusedRequestMustNotSucceed() {
        assertTrue(Verdict.problems(true, false, response(200, "application/json", "{}", "r1")).stream()
                .anyMatch(p -> p.contains("must be refused")));
        assertEquals(List.of(), Verdict.problems(true, false, response(401, "application/json", ENVELOPE, "r1")));
    }
}
