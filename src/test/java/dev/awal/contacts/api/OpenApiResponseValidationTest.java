package dev.awal.contacts.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The response check every test goes through accepts real answers and catches ones the document does not describe. */
@QuarkusTest
class OpenApiResponseValidationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private OpenApiInteractionValidator validator;

    @Test
    void realAnswersPassAndDriftedOnesFail() throws Exception {
        validator = OpenApiResponseValidation.validator();
        // Api.json already validates this answer: a created contact with its 201 headers.
        Response created = Api.json("{\"name\":\"Validated\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=7").then().statusCode(201).extract().response();
        String body = created.asString();
        assertThat(check(201, "application/json", body, created.header("Location")).hasErrors()).isFalse();

        ObjectNode missingField = (ObjectNode) MAPPER.readTree(body);
        ((ObjectNode) missingField.get("data")).remove("phone_number_id");
        assertThat(messages(check(201, "application/json", missingField.toString(), created.header("Location"))))
                .contains("validation.response.body.schema.required");

        ObjectNode wrongType = (ObjectNode) MAPPER.readTree(body);
        ((ObjectNode) wrongType.get("data")).put("id", "forty-two");
        assertThat(messages(check(201, "application/json", wrongType.toString(), created.header("Location"))))
                .contains("validation.response.body.schema.type");

        assertThat(messages(check(299, "application/json", body, created.header("Location"))))
                .contains("validation.response.status.unknown");
        assertThat(messages(check(201, "text/plain", body, created.header("Location"))))
                .contains("validation.response.contentType.notAllowed");
    }

    private ValidationReport check(int status, String contentType, String body, String location) {
        SimpleResponse response = SimpleResponse.Builder.status(status)
                .withContentType(contentType).withBody(body)
                .withHeader("Location", location).withHeader("ETag", "\"1\"")
                .withHeader("X-Request-ID", "r1").withHeader("X-API-Version", "v1")
                .withHeader("X-RateLimit-Limit", "100").withHeader("X-RateLimit-Remaining", "99")
                .withHeader("X-RateLimit-Reset", "1700000000").build();
        return validator.validateResponse("/api/developer/contacts", Request.Method.POST, response);
    }

    private static String messages(ValidationReport report) {
        return report.getMessages().stream().map(ValidationReport.Message::getKey).toList().toString();
    }
}
