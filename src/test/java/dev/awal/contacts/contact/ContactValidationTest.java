package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ContactValidationTest {

    private static final String CREATE = "/api/developer/contacts?phone_number_id=1001";

    @Test
    void requiredFieldsAreReportedPerField() {
        json("{\"email\":\"not-an-email\",\"description\":\"ok\"}").post(CREATE).then().statusCode(422)
                .body("status", equalTo(false))
                .body("error", equalTo("validation_failed"))
                .body("details.name", equalTo("The name field is required"))
                .body("details.phone", equalTo("The phone field is required"))
                .body("details.email", equalTo("must be a valid email address"))
                .body("request_id", notNullValue());
    }

    @Test
    void phoneMustBeAValidInternationalNumber() {
        for (String bad : new String[] { "12345", "+966 12", "+1 555 0000 000 000", "abc", "+966-50-123-456x" }) {
            json("{\"name\":\"P\",\"phone\":\"" + bad + "\"}").post(CREATE).then().statusCode(422)
                    .body("details.phone", containsString("valid international number"));
        }
    }

    @Test
    void commonPhoneFormattingIsNormalizedToDigits() {
        String digits = TestData.uniquePhone();
        String formatted = "+" + digits.substring(0, 3) + " (" + digits.substring(3, 5) + ") " + digits.substring(5, 8)
                + "-" + digits.substring(8, 10) + "." + digits.substring(10);
        json("{\"name\":\"Fmt\",\"phone\":\"" + formatted + "\"}").post(CREATE).then().statusCode(201)
                .body("data.phone", equalTo(digits));
    }

    @Test
    void lengthsAreEnforced() {
        json("{\"name\":\"" + "n".repeat(256) + "\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"description\":\""
                + "d".repeat(2001) + "\",\"address\":\"" + "a".repeat(501) + "\",\"full_name\":\"" + "f".repeat(256) + "\"}")
                .post(CREATE).then().statusCode(422)
                .body("details.name", containsString("255"))
                .body("details.description", containsString("2000"))
                .body("details.address", containsString("500"))
                .body("details.full_name", containsString("255"));
        // Length counts characters, not bytes: 255 Arabic letters are fine.
        json("{\"name\":\"" + "ب".repeat(255) + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post(CREATE).then().statusCode(201);
    }

    @Test
    void wrongJsonTypesAreBadRequests() {
        json("{\"name\":123,\"phone\":\"+" + TestData.uniquePhone() + "\"}").post(CREATE).then().statusCode(400)
                .body("error", equalTo("bad_request")).body("details.name", equalTo("must be a string"));
        json("{\"name\":\"X\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"is_favorite\":{}}").post(CREATE)
                .then().statusCode(400).body("details.is_favorite", equalTo("must be a boolean"));
        json("[1,2]").post(CREATE).then().statusCode(400).body("error", equalTo("bad_request"));
        json("\"just a string\"").post(CREATE).then().statusCode(400);
    }

    @Test
    void malformedBodiesAreBadRequests() {
        json("{\"name\": \"x\",").post(CREATE).then().statusCode(400)
                .body("error", equalTo("bad_request")).body("message", equalTo("Malformed JSON body"));
        json("").post(CREATE).then().statusCode(400).body("error", equalTo("bad_request"));
        signed().contentType("multipart/form-data; boundary=nope").body("--wrong\r\ngarbage without end".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post(CREATE).then().statusCode(400).body("error", equalTo("bad_request"));
    }

    @Test
    void unsupportedContentTypeIs415() {
        signed().contentType("text/plain").body("name=x").post(CREATE).then().statusCode(415)
                .body("error", equalTo("unsupported_media_type"));
        signed().contentType("application/xml").body("<contact/>").patch("/api/developer/contacts/1").then()
                .statusCode(415);
    }

    @Test
    void oversizedBodyIs413() {
        String huge = "{\"name\":\"" + "x".repeat(300_000) + "\"}";
        json(huge).post(CREATE).then().statusCode(413).body("error", equalTo("payload_too_large"));
    }

    @Test
    void phoneNumberIdIsRequiredAndDigits() {
        json("{\"name\":\"N\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post("/api/developer/contacts")
                .then().statusCode(422).body("details.phone_number_id", containsString("required"));
        json("{\"name\":\"N\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=abc").then().statusCode(422)
                .body("details.phone_number_id", containsString("digits"));
    }

    @Test
    void duplicatePhoneNamesTheExistingContact() {
        String phone = TestData.uniquePhone();
        int first = json("{\"name\":\"First\",\"phone\":\"+" + phone + "\"}").post(CREATE).then().statusCode(201)
                .extract().path("data.id");
        json("{\"name\":\"Second\",\"phone\":\"00" + phone + "\"}").post(CREATE).then().statusCode(409)
                .body("error", equalTo("duplicate_phone"))
                .body("details.existing_contact_id", equalTo(first));

        int other = json("{\"name\":\"Other\",\"phone\":\"+" + TestData.uniquePhone() + "\"}").post(CREATE)
                .then().statusCode(201).extract().path("data.id");
        json("{\"phone\":\"+" + phone + "\"}").patch("/api/developer/contacts/" + other).then().statusCode(409)
                .body("details.existing_contact_id", equalTo(first));
    }

    @Test
    void formsAcceptBooleansAndIdsAsStrings() {
        String phone = TestData.uniquePhone();
        signed().contentType("application/x-www-form-urlencoded")
                .body(Bodies.urlencoded(Map.of("name", "Form", "phone", "+" + phone, "is_favorite", "1",
                        "branch_id", "", "unknown_field", "ignored")))
                .post(CREATE).then().statusCode(201)
                .body("data.is_favorite", equalTo(true))
                .body("data.branch_id", nullValue())
                .body("data", org.hamcrest.Matchers.not(hasKey("unknown_field")));
        signed().contentType("application/x-www-form-urlencoded")
                .body(Bodies.urlencoded(Map.of("name", "Form2", "phone", "+" + TestData.uniquePhone(),
                        "is_favorite", "yes", "contact_group_id", "abc")))
                .post(CREATE).then().statusCode(422)
                .body("details.is_favorite", equalTo("must be true, false, 1 or 0"))
                .body("details.contact_group_id", equalTo("must be an integer id"));
    }

    @Test
    void unknownIdsAreNotFound() {
        signed().get("/api/developer/contacts/999999999").then().statusCode(404)
                .body("error", equalTo("resource_not_found"));
        json("{\"name\":\"x\"}").patch("/api/developer/contacts/999999999").then().statusCode(404);
        signed().delete("/api/developer/contacts/999999999").then().statusCode(404);
        signed().get("/api/developer/contacts/not-a-number").then().statusCode(404)
                .body("error", equalTo("resource_not_found"));
    }

    @Test
    void unknownRoutesAndMethodsUseTheEnvelope() {
        signed().get("/api/developer/nothing-here").then().statusCode(404)
                .body("status", equalTo(false)).body("error", equalTo("resource_not_found"));
        given().get("/nothing-here").then().statusCode(404).body("error", equalTo("resource_not_found"));
        signed().contentType("application/json").body("{}").put("/api/developer/contacts").then().statusCode(405)
                .body("error", equalTo("method_not_allowed"));
    }
}
