package dev.awal.contacts.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What Swagger UI's "Try it out" sends with the document's examples works: every operation that needs
 * no existing row (no path parameter) is called with its example parameters and each JSON and
 * urlencoded example body, and the service accepts it. On the shared test database an example may
 * already have been used (same phone, same group name): a duplicate answer still shows that the
 * example passed every field rule.
 */
@QuarkusTest
class OpenApiExamplesTest {

    @Test
    void examplesOfOperationsWithoutPathParametersSucceed() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        List<String> tried = new ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> {
            if (!path.getKey().startsWith("/api/developer") || path.getKey().contains("{")) {
                return;
            }
            path.getValue().fields().forEachRemaining(entry -> {
                String method = entry.getKey().toUpperCase();
                JsonNode operation = entry.getValue();
                String uri = path.getKey() + query(operation);
                JsonNode content = operation.path("requestBody").path("content");
                if (content.isMissingNode()) {
                    assertAccepted(method + " " + uri, Api.signed().urlEncodingEnabled(false).request(method, uri));
                    tried.add(method + " " + uri);
                    return;
                }
                for (String type : List.of("application/json", "application/x-www-form-urlencoded")) {
                    if (!content.has(type)) {
                        continue; // JSON-only operations (batch) offer no form
                    }
                    JsonNode examples = content.path(type).path("examples");
                    assertThat(examples.size()).as(method + " " + uri + " " + type + " has an example").isPositive();
                    examples.forEach(example -> {
                        String body = type.equals("application/json") ? example.path("value").toString()
                                : form(example.path("value"));
                        assertAccepted(method + " " + uri + " " + type,
                                Api.signed().urlEncodingEnabled(false).contentType(type).body(body).request(method, uri));
                        tried.add(method + " " + uri + " " + type);
                    });
                }
            });
        });
        assertThat(tried).contains("GET /api/developer/contacts?search=%D8%A7%D8%AD%D9%85%D8%AF",
                "POST /api/developer/contacts?phone_number_id=109876543210 application/json",
                "POST /api/developer/contact-groups application/x-www-form-urlencoded",
                "POST /api/developer/branches?phone_number_id=109876543210 application/json");
    }

    private static void assertAccepted(String what, Response response) {
        int status = response.statusCode();
        String error = status >= 400 ? response.jsonPath().getString("error") : null;
        assertThat(status < 300 || (status == 409 && error.startsWith("duplicate_")))
                .as(what + " answered " + status + " " + response.asString()).isTrue();
    }

    /** The query Swagger UI pre-fills: every parameter that has an example. */
    private static String query(JsonNode operation) {
        String query = StreamSupport.stream(operation.path("parameters").spliterator(), false)
                .filter(parameter -> parameter.path("in").asText().equals("query") && parameter.has("example"))
                .map(parameter -> parameter.path("name").asText() + "=" + encode(parameter.path("example").asText()))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    private static String form(JsonNode value) {
        List<String> pairs = new ArrayList<>();
        value.fields().forEachRemaining(field -> pairs.add(field.getKey() + "=" + encode(field.getValue().asText())));
        return String.join("&", pairs);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
