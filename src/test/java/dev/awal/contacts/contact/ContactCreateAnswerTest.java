package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * The create's answer is mapped from the inserted row by hand (ContactInsert, straight through the
 * PostgreSQL client): every field, the ETag and the times must be what a read of the stored contact
 * answers, and the references, duplicates and missing references keep their answers.
 */
@QuarkusTest
class ContactCreateAnswerTest {

    private static final String CONTACTS = "/api/developer/contacts";

    @Test
    void theCreatedAnswerIsTheStoredContact() {
        int group = json("{\"name\":\"Answer group\"}").post("/api/developer/contact-groups").then().statusCode(201)
                .extract().path("data.id");
        int branch = json("{\"name\":\"Answer branch\"}").post("/api/developer/branches?phone_number_id=2002").then()
                .statusCode(201).extract().path("data.id");
        String phone = TestData.uniquePhone();
        ExtractableResponse<Response> created = json("{\"name\":\"Answer Name\",\"full_name\":\"Answer Full Name\",\"phone\":\"+"
                + phone + "\",\"email\":\"answer@example.com\",\"branch_id\":" + branch + ",\"contact_group_id\":" + group
                + ",\"description\":\"A description\",\"address\":\"An address\",\"is_favorite\":true}")
                .post(CONTACTS + "?phone_number_id=2002").then().statusCode(201)
                .body("data.contact_group_id", equalTo(group))
                .body("data.branch_id", equalTo(branch))
                .body("data.description", equalTo("A description"))
                .body("data.address", equalTo("An address"))
                .body("data.is_favorite", equalTo(true))
                .extract();
        long id = created.jsonPath().getLong("data.id");

        ExtractableResponse<Response> read = signed().get(CONTACTS + "/" + id).then().statusCode(200).extract();
        Map<String, Object> createdData = created.jsonPath().getMap("data");
        Map<String, Object> readData = read.jsonPath().getMap("data");
        assertEquals(readData, createdData);
        assertEquals(read.header("ETag"), created.header("ETag"));
        assertEquals(CONTACTS + "/" + id, created.header("Location").replaceFirst("^https?://[^/]+", ""));
    }

    @Test
    void aDuplicatePhoneIsAConflictNamingTheExistingContact() {
        String phone = TestData.uniquePhone();
        int first = json("{\"name\":\"First\",\"phone\":\"+" + phone + "\"}").post(CONTACTS + "?phone_number_id=2002")
                .then().statusCode(201).extract().path("data.id");
        json("{\"name\":\"Second\",\"phone\":\"+" + phone + "\"}").post(CONTACTS + "?phone_number_id=2002")
                .then().statusCode(409)
                .body("details.existing_contact_id", equalTo(first));
    }

    @Test
    void aGroupOfNoOneIsAnInvalidReference() {
        json("{\"name\":\"Orphan\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"contact_group_id\":987654321}")
                .post(CONTACTS + "?phone_number_id=2002")
                .then().statusCode(422)
                .body("details.contact_group_id", equalTo("The selected contact group does not exist"));
    }
}
