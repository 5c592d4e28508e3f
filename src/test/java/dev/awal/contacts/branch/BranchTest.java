package dev.awal.contacts.branch;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class BranchTest {

    private static final String BRANCHES = "/api/developer/branches";

    @Test
    void crudInEveryContentType() {
        String manager = "Manager " + TestData.uniquePhone();
        int id = json("{\"name\":\"Olaya\",\"phone\":\"+966 11 234 5678\",\"email\":\"olaya@example.com\","
                + "\"branch_id\":\"BR-001\",\"full_name\":\"" + manager + "\",\"is_favorite\":true,\"address\":\"Riyadh\"}")
                .post(BRANCHES + "?phone_number_id=55").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.matchesPattern(".*/branches/\\d+"))
                .body("data.name", equalTo("Olaya"))
                .body("data.phone", equalTo("966112345678"))
                .body("data.branch_id", equalTo("BR-001"))
                .body("data.full_name", equalTo(manager))
                .body("data.is_favorite", equalTo(true))
                .body("data.phone_number_id", equalTo("55"))
                .body("data.file_url", nullValue())
                .body("data", hasKey("contact_group_id"))
                .extract().path("data.id");
        String path = BRANCHES + "/" + id;

        signed().contentType("application/x-www-form-urlencoded")
                .body(Bodies.urlencoded(Map.of("description", "Main branch", "is_favorite", "0")))
                .patch(path).then().statusCode(200)
                .body("data.description", equalTo("Main branch"))
                .body("data.is_favorite", equalTo(false))
                .body("data.name", equalTo("Olaya"));
        Bodies.Multipart form = Bodies.multipart().field("name", "Olaya Mall");
        signed().contentType(form.contentType()).body(form.bytes()).patch(path).then().statusCode(200)
                .body("data.name", equalTo("Olaya Mall"));

        signed().get(BRANCHES + "?search=" + manager.substring(8)).then().statusCode(200)
                .body("data.id", contains(id));
        signed().get(path).then().statusCode(200).body("data.address", equalTo("Riyadh"));
    }

    @Test
    void deleteUnlinksContactsInOneTransaction() {
        int id = json("{\"name\":\"Closing\"}").post(BRANCHES + "?phone_number_id=1").then().statusCode(201)
                .extract().path("data.id");
        int contact = json("{\"name\":\"Staff\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"branch_id\":" + id + "}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201).extract().path("data.id");
        signed().delete(BRANCHES + "/" + id).then().statusCode(200).body("data.unlinked_contacts", equalTo(1));
        signed().get("/api/developer/contacts/" + contact).then().statusCode(200).body("data.branch_id", nullValue());
        signed().get(BRANCHES + "/" + id).then().statusCode(404);
    }

    @Test
    void validation() {
        json("{\"phone\":\"123\",\"email\":\"bad\",\"contact_group_id\":999999999}").post(BRANCHES + "?phone_number_id=1")
                .then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.name", equalTo("The name field is required"))
                .body("details.phone", org.hamcrest.Matchers.containsString("valid international number"))
                .body("details.email", equalTo("must be a valid email address"));
        json("{\"name\":\"No sender\"}").post(BRANCHES).then().statusCode(422)
                .body("details.phone_number_id", org.hamcrest.Matchers.containsString("required"));
        json("{\"name\":\"Ghost group\",\"contact_group_id\":999999999}").post(BRANCHES + "?phone_number_id=1")
                .then().statusCode(422).body("details.contact_group_id", equalTo("The selected contact group does not exist"));
        signed().get(BRANCHES + "?page=-1").then().statusCode(400);
    }
}
