package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ContactCrudTest {

    @Test
    void createsReadsUpdatesAndDeletesAContact() {
        String phone = TestData.uniquePhone();
        long id = json("{\"name\":\"  Sara  \",\"phone\":\"+" + phone + "\",\"email\":\"sara@example.com\",\"is_favorite\":true}")
                .post("/api/developer/contacts?phone_number_id=1001")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/developer/contacts/\\d+"))
                .header("ETag", notNullValue())
                .body("status", equalTo(true))
                .body("message", equalTo("Contact created successfully"))
                .body("data.name", equalTo("Sara"))
                .body("data.phone", equalTo(phone))
                .body("data.is_favorite", equalTo(true))
                .body("data.phone_number_id", equalTo("1001"))
                .body("data.full_name", nullValue())
                .body("data", hasKey("avatar"))
                .body("data.created_at", matchesPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"))
                .extract().jsonPath().getLong("data.id");

        signed().get("/api/developer/contacts/" + id).then().statusCode(200)
                .body("data.id", equalTo((int) id))
                .body("data.email", equalTo("sara@example.com"));

        signed().contentType("application/x-www-form-urlencoded")
                .body(Bodies.urlencoded(Map.of("full_name", "Sara Al-Harbi", "is_favorite", "FALSE")))
                .patch("/api/developer/contacts/" + id)
                .then().statusCode(200)
                .body("data.full_name", equalTo("Sara Al-Harbi"))
                .body("data.is_favorite", equalTo(false))
                .body("data.name", equalTo("Sara"));

        signed().delete("/api/developer/contacts/" + id).then().statusCode(200)
                .body("status", equalTo(true))
                .body("message", equalTo("Contact deleted successfully"))
                .body("$", org.hamcrest.Matchers.not(hasKey("data")));

        signed().get("/api/developer/contacts/" + id).then().statusCode(404)
                .body("status", equalTo(false))
                .body("error", equalTo("resource_not_found"))
                .body("request_id", notNullValue());
    }

    @Test
    void everyFieldIsPresentInListings() {
        json("{\"name\":\"Shape\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1001").then().statusCode(201);
        signed().get("/api/developer/contacts?per_page=5").then().statusCode(200)
                .body("data", everyItem(hasKey("branch_id")))
                .body("data", everyItem(hasKey("description")))
                .body("meta.page", equalTo(1))
                .body("meta.per_page", equalTo(5));
    }
}
