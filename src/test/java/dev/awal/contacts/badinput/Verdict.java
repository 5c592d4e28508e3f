package dev.awal.contacts.badinput;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every answer must satisfy, whatever was sent: an answer at all, no 5xx, no protocol switch,
 * the error envelope with {@code X-Request-ID} and {@code X-API-Version} on every non-2xx, and nothing
 * of the server's insides (class names, stack traces, SQL, file paths) anywhere in it.
 */
final class Verdict {

    /** Case-sensitive: these spellings don't occur in anything the suite sends or stores. */
    static final List<String> LEAKS = List.of("java.", "javax.", "jakarta.", "io.vertx", "io.netty", "io.quarkus",
            "io.smallrye", "org.hibernate", "org.jboss", "com.fasterxml", "org.postgresql", "Exception", "\tat ",
            "Caused by:", "SELECT", "INSERT", "ERROR:", "violates", "/tmp/", "/work/", "target/");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Verdict() {
    }

    /** Everything wrong with {@code response}; empty when it is acceptable. */
    static List<String> problems(boolean mustBeRefused, boolean head, RawHttp.Response response) {
        List<String> problems = new ArrayList<>();
        if (response.failure() != null) {
            problems.add(response.failure());
            return problems;
        }
        int status = response.status();
        if (status >= 500) {
            problems.add("server error " + status);
        }
        if (status == 101) {
            problems.add("switched protocols (101)");
        }
        if (mustBeRefused && status >= 200 && status < 300) {
            problems.add("answered " + status + " to a request that must be refused (bad auth, another workspace's"
                    + " id, an undocumented method, or a value PostgreSQL can't store: NUL, invalid UTF-8, lone"
                    + " surrogate)");
        }
        String requestId = response.header("X-Request-ID");
        if (requestId == null || requestId.isBlank()) {
            problems.add("no X-Request-ID header");
        }
        if (status >= 300 && status != 304) {
            envelope(response, requestId, head, problems);
        }
        leaks(response, problems);
        return problems;
    }

    private static void envelope(RawHttp.Response response, String requestId, boolean head, List<String> problems) {
        if (!"v1".equals(response.header("X-API-Version"))) {
            problems.add("non-2xx without X-API-Version: v1");
        }
        String contentType = response.header("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            problems.add("non-2xx whose Content-Type is " + contentType + ", not the JSON envelope");
        }
        if (head) {
            return; // a HEAD answer has headers only
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (Exception e) {
            problems.add("non-2xx whose body is not JSON");
            return;
        }
        if (body == null || !body.isObject()) {
            problems.add("non-2xx whose body is not a JSON object");
            return;
        }
        if (!body.path("status").isBoolean() || body.get("status").asBoolean()) {
            problems.add("envelope: status is not false");
        }
        for (String field : List.of("error", "message", "request_id")) {
            if (!body.path(field).isTextual() || body.get(field).asText().isBlank()) {
                problems.add("envelope: " + field + " missing or empty");
            }
        }
        if (!body.has("details") || !(body.get("details").isNull() || body.get("details").isObject())) {
            problems.add("envelope: details is neither null nor an object");
        }
        if (requestId != null && body.path("request_id").isTextual() && !requestId.equals(body.get("request_id").asText())) {
            problems.add("envelope: request_id differs from the X-Request-ID header");
        }
    }

    private static void leaks(RawHttp.Response response, List<String> problems) {
        StringBuilder everything = new StringBuilder(response.reason()).append('\n');
        for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
            everything.append(header.getKey()).append(": ").append(String.join(", ", header.getValue())).append('\n');
        }
        everything.append(new String(response.body(), StandardCharsets.UTF_8));
        String text = everything.toString();
        for (String leak : LEAKS) {
            int at = text.indexOf(leak);
            if (at >= 0) {
                String around = text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 80));
                problems.add("leaks '" + leak.replace("\t", "\\t") + "': …" + around.replace("\n", "\\n")
                        .replace("\t", "\\t") + "…");
            }
        }
    }
}
