package dev.awal.contacts.group;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ContactGroupTest {

    private static final String GROUPS = "/api/developer/contact-groups";

    private static int group(String name) {
        return json("{\"name\":\"" + name + "\"}").post(GROUPS).then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.matchesPattern(".*/contact-groups/\\d+"))
                .body("data.status", equalTo(1))
                .body("data.contacts_count", equalTo(0))
                .extract().path("data.id");
    }

    private static void contactIn(int groupId) {
        json("{\"name\":\"Member\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"contact_group_id\":" + groupId + "}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
    }

    @Test
    void crudWithExactContactsCount() {
        String name = "Crud " + TestData.uniquePhone();
        int id = group(name);
        contactIn(id);
        contactIn(id);
        signed().get(GROUPS + "/" + id).then().statusCode(200)
                .body("data.name", equalTo(name))
                .body("data.contacts_count", equalTo(2));
        json("{\"status\":0}").patch(GROUPS + "/" + id).then().statusCode(200)
                .body("data.status", equalTo(0))
                .body("data.name", equalTo(name))
                .body("data.contacts_count", equalTo(2));
        signed().get(GROUPS + "?status=0&search=" + name.substring(5) + "&per_page=100").then().statusCode(200)
                .body("data.name", contains(name))
                .body("data.contacts_count", contains(2));
    }

    @Test
    void namesAreUniqueCaseInsensitively() {
        String name = "Unique " + TestData.uniquePhone();
        int id = group(name);
        json("{\"name\":\"" + name.toUpperCase() + "\"}").post(GROUPS).then().statusCode(409)
                .body("error", equalTo("duplicate_name"));
        int other = group("Other " + TestData.uniquePhone());
        json("{\"name\":\"" + name.toLowerCase() + "\"}").patch(GROUPS + "/" + other).then().statusCode(409)
                .body("error", equalTo("duplicate_name"));
        json("{\"name\":\"" + name.toLowerCase() + "\"}").patch(GROUPS + "/" + id).then().statusCode(200);
    }

    @Test
    void deleteKeepsAndUnlinksContactsInOneTransaction() {
        int id = group("Doomed " + TestData.uniquePhone());
        contactIn(id);
        contactIn(id);
        contactIn(id);
        signed().delete(GROUPS + "/" + id).then().statusCode(200)
                .body("status", equalTo(true))
                .body("data.unlinked_contacts", equalTo(3));
        signed().get(GROUPS + "/" + id).then().statusCode(404).body("error", equalTo("resource_not_found"));
        signed().get("/api/developer/contacts?contact_group_id=" + id).then().statusCode(200)
                .body("meta.total", equalTo(0));
    }

    @Test
    void deletionUnlinksEveryContactAcrossBatches() {
        // The test profile unlinks two contacts per statement: seven contacts written by one batch (one created_at,
        // so the walk's order rests on the id) take four statements, the last one short.
        int id = group("Large " + TestData.uniquePhone());
        java.util.List<String> phones = new java.util.ArrayList<>();
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            String phone = TestData.uniquePhone();
            phones.add(phone);
            items.append(i == 0 ? "" : ",").append("{\"name\":\"Member ").append(i).append("\",\"phone\":\"+").append(phone)
                    .append("\",\"contact_group_id\":").append(id).append('}');
        }
        json("{\"contacts\":[" + items + "]}").post("/api/developer/contacts/batch?phone_number_id=1").then().statusCode(200);
        signed().get(GROUPS + "/" + id).then().statusCode(200).body("data.contacts_count", equalTo(7));
        signed().delete(GROUPS + "/" + id).then().statusCode(200).body("data.unlinked_contacts", equalTo(7));
        for (String phone : phones) {
            signed().get("/api/developer/contacts/by-phone/" + phone).then().statusCode(200)
                    .body("data.contact_group_id", org.hamcrest.Matchers.nullValue()).header("ETag", equalTo("\"1\""));
        }
        signed().get("/api/developer/contacts?contact_group_id=" + id).then().statusCode(200).body("meta.total", equalTo(0));
    }

    @Test
    void validation() {
        json("{}").post(GROUPS).then().statusCode(422).body("details.name", equalTo("The name field is required"));
        json("{\"name\":\"x\",\"status\":5}").post(GROUPS).then().statusCode(422)
                .body("details.status", equalTo("must be one of [0, 1]"));
        json("{\"name\":\"" + "g".repeat(256) + "\"}").post(GROUPS).then().statusCode(422);
        json("{\"name\":[\"x\"]}").post(GROUPS).then().statusCode(400).body("error", equalTo("bad_request"));
        signed().get(GROUPS + "?status=7").then().statusCode(400);
        signed().get(GROUPS + "/999999999").then().statusCode(404);
    }

    @Test
    void formsAreAcceptedToo() {
        String name = "Form group " + TestData.uniquePhone();
        signed().contentType("application/x-www-form-urlencoded").body("name=" + name.replace(" ", "+") + "&status=0")
                .post(GROUPS).then().statusCode(201)
                .body("data.name", equalTo(name)).body("data.status", equalTo(0));
        signed().get(GROUPS + "?per_page=100").then().body("data.updated_at", everyItem(org.hamcrest.Matchers.notNullValue()))
                .body("meta.next_cursor", nullValue());
    }
}
