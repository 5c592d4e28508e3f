package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.OTHER_WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** Nothing of another workspace is visible or changeable (contract §6). */
@QuarkusTest
class TenancyTest {

    @Test
    void contactsOfAnotherWorkspaceAreInvisibleAndUntouchable() {
        String phone = TestData.uniquePhone();
        int id = json("{\"name\":\"Tenant A\",\"phone\":\"+" + phone + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201)
                .extract().path("data.id");
        String path = "/api/developer/contacts/" + id;

        inWorkspace(OTHER_WORKSPACE).get(path).then().statusCode(404).body("error", equalTo("resource_not_found"));
        inWorkspace(OTHER_WORKSPACE).contentType("application/json").body("{\"name\":\"Hijack\"}")
                .patch(path).then().statusCode(404);
        inWorkspace(OTHER_WORKSPACE).delete(path).then().statusCode(404);
        inWorkspace(OTHER_WORKSPACE).get("/api/developer/contacts?per_page=100&search=" + phone).then().statusCode(200)
                .body("data.id", not(hasItem(id)))
                .body("meta.total", equalTo(0));

        signed().get(path).then().statusCode(200).body("data.name", equalTo("Tenant A"));
    }

    @Test
    void phoneUniquenessIsPerWorkspace() {
        String phone = TestData.uniquePhone();
        json("{\"name\":\"Here\",\"phone\":\"+" + phone + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201);
        inWorkspace(OTHER_WORKSPACE).contentType("application/json")
                .body("{\"name\":\"There\",\"phone\":\"+" + phone + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
    }

    @Test
    void groupsAndBranchesOfAnotherWorkspaceCannotBeLinkedOrCounted() {
        int foreignGroup = inWorkspace(OTHER_WORKSPACE).contentType("application/json")
                .body("{\"name\":\"Foreign " + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contact-groups").then().statusCode(201).extract().path("data.id");
        int foreignBranch = inWorkspace(OTHER_WORKSPACE).contentType("application/json")
                .body("{\"name\":\"Foreign branch\"}")
                .post("/api/developer/branches?phone_number_id=1").then().statusCode(201).extract().path("data.id");

        json("{\"name\":\"Linker\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"contact_group_id\":" + foreignGroup
                + ",\"branch_id\":" + foreignBranch + "}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(422)
                .body("error", equalTo("validation_failed"))
                .body("details.contact_group_id", equalTo("The selected contact group does not exist"))
                .body("details.branch_id", equalTo("The selected branch does not exist"));

        signed().get("/api/developer/contact-groups/" + foreignGroup).then().statusCode(404);
        signed().get("/api/developer/branches/" + foreignBranch).then().statusCode(404);
        signed().delete("/api/developer/contact-groups/" + foreignGroup).then().statusCode(404);
        signed().delete("/api/developer/branches/" + foreignBranch).then().statusCode(404);
        signed().get("/api/developer/contact-groups?per_page=100").then().statusCode(200)
                .body("data.id", not(hasItem(foreignGroup)));
        signed().get("/api/developer/branches?per_page=100").then().statusCode(200)
                .body("data.id", not(hasItem(foreignBranch)));
        signed().get("/api/developer/contacts?contact_group_id=" + foreignGroup).then().statusCode(200)
                .body("meta.total", equalTo(0));
    }
}
