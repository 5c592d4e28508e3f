package dev.awal.contacts.bulk;

import static dev.awal.contacts.support.Api.OTHER_WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Batch upsert: every item answered in order, one bad item fails alone, races decided by the constraint. */
@QuarkusTest
class ContactBatchTest {

    private static final String BATCH = "/api/developer/contacts/batch?phone_number_id=1";

    private static String item(String name, String phone) {
        return "{\"name\":\"" + name + "\",\"phone\":\"+" + phone + "\"}";
    }

    private static String batch(String onDuplicate, List<String> items) {
        return "{" + (onDuplicate == null ? "" : "\"on_duplicate\":\"" + onDuplicate + "\",") + "\"contacts\":["
                + String.join(",", items) + "]}";
    }

    @Test
    void answersEveryItemInOrderAndOneBadItemFailsAlone() {
        String existing = TestData.uniquePhone();
        int existingId = json(item("Before", existing)).post("/api/developer/contacts?phone_number_id=1").then()
                .statusCode(201).extract().path("data.id");
        String fresh = TestData.uniquePhone();
        String same = TestData.uniquePhone();
        json(item("Same", same)).post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
        List<String> items = List.of(
                item("New", fresh),
                "{\"name\":\"After\",\"phone\":\"+" + existing + "\",\"description\":\"updated by batch\"}",
                item("Same", same),
                "{\"name\":\"Bad phone\",\"phone\":\"12\"}",
                "{\"name\":7,\"phone\":\"+" + TestData.uniquePhone() + "\"}",
                "\"not an object\"",
                item("Twice", fresh),
                "{\"name\":\"No group\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"contact_group_id\":999999999}");
        json(batch(null, items)).post(BATCH).then().statusCode(200)
                .body("message", equalTo("Batch processed: 1 created, 1 updated, 1 unchanged, 0 skipped, 5 failed"))
                .body("data.results.index", contains(0, 1, 2, 3, 4, 5, 6, 7))
                .body("data.results.status", contains(201, 200, 200, 422, 400, 400, 422, 422))
                .body("data.results.result", contains("created", "updated", "unchanged", "failed", "failed", "failed",
                        "failed", "failed"))
                .body("data.results[0].data.phone", equalTo(fresh))
                .body("data.results[0].error", nullValue())
                .body("data.results[1].data.id", equalTo(existingId))
                .body("data.results[1].data.description", equalTo("updated by batch"))
                .body("data.results[3].data", nullValue())
                .body("data.results[3].error.error", equalTo("validation_failed"))
                .body("data.results[3].error.details.phone", notNullValue())
                .body("data.results[4].error.details.name", equalTo("must be a string"))
                .body("data.results[6].error.details.phone", equalTo("appears earlier in this batch, at index 0"))
                .body("data.results[7].error.details.contact_group_id", equalTo("The selected contact group does not exist"))
                .body("data.counts.created", equalTo(1)).body("data.counts.failed", equalTo(5));
        signed().get("/api/developer/contacts/by-phone/" + fresh).then().statusCode(200).body("data.name", equalTo("New"));
    }

    @Test
    void onDuplicateSkipAndErrorLeaveExistingContactsAlone() {
        String existing = TestData.uniquePhone();
        int id = json(item("Original", existing)).post("/api/developer/contacts?phone_number_id=1").then()
                .statusCode(201).extract().path("data.id");
        String fresh = TestData.uniquePhone();
        json(batch("skip", List.of(item("Skipped", existing), item("Created", fresh)))).post(BATCH).then().statusCode(200)
                .body("data.results.status", contains(200, 201))
                .body("data.results.result", contains("skipped", "created"))
                .body("data.results[0].data.name", equalTo("Original"));
        json(batch("error", List.of(item("Refused", existing), item("Also refused", fresh), item("Made", TestData.uniquePhone()))))
                .post(BATCH).then().statusCode(200)
                .body("data.results.status", contains(409, 409, 201))
                .body("data.results[0].error.error", equalTo("duplicate_phone"))
                .body("data.results[0].error.details.existing_contact_id", equalTo(id));
        signed().get("/api/developer/contacts/" + id).then().body("data.name", equalTo("Original")).header("ETag", equalTo("\"0\""));
    }

    @Test
    void defaultRegionReadsNationalNumbers() {
        String phone = TestData.uniquePhone();
        json(batch(null, List.of("{\"name\":\"National\",\"phone\":\"0" + phone.substring(3) + "\"}")))
                .post(BATCH + "&default_region=SA").then().statusCode(200)
                .body("data.results[0].status", equalTo(201)).body("data.results[0].data.phone", equalTo(phone));
    }

    @Test
    void rejectsBadBatchesAsAWhole() {
        json("{\"contacts\":[]}").post(BATCH).then().statusCode(422).body("details.contacts", equalTo("must contain at least one contact"));
        json("{}").post(BATCH).then().statusCode(422).body("details.contacts", notNullValue());
        json("{\"contacts\":{}}").post(BATCH).then().statusCode(400).body("details.contacts", equalTo("must be an array of contacts"));
        json("{\"on_duplicate\":1,\"contacts\":[]}").post(BATCH).then().statusCode(400).body("details.on_duplicate", equalTo("must be a string"));
        json("{\"on_duplicate\":\"merge\",\"contacts\":[" + item("X", TestData.uniquePhone()) + "]}").post(BATCH).then()
                .statusCode(422).body("details.on_duplicate", equalTo("must be update, skip or error"));
        json("{\"contacts\":[" + item("X", TestData.uniquePhone()) + "]}").post("/api/developer/contacts/batch").then()
                .statusCode(422).body("details.phone_number_id", notNullValue());
        json("{oops").post(BATCH).then().statusCode(400).body("details.body", equalTo("is not valid JSON"));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(item("N" + i, TestData.uniquePhone()));
        }
        json(batch(null, tooMany)).post(BATCH).then().statusCode(422).body("details.contacts", equalTo("may contain at most 100 contacts"));
        signed().get("/api/developer/contacts/by-phone/" + tooMany.get(0).replaceAll(".*\\+(\\d+).*", "$1")).then().statusCode(404);
    }

    @Test
    void aHundredContactsInOneRequest() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(item("Hundred " + i, TestData.uniquePhone()));
        }
        json(batch(null, items)).post(BATCH).then().statusCode(200).body("data.results", hasSize(100))
                .body("data.counts.created", equalTo(100));
    }

    @Test
    void anotherWorkspaceIsNeitherReadNorChanged() {
        String phone = TestData.uniquePhone();
        int mine = json(item("Mine", phone)).post("/api/developer/contacts?phone_number_id=1").then().statusCode(201)
                .extract().path("data.id");
        Response theirs = inWorkspace(OTHER_WORKSPACE).contentType("application/json")
                .body(batch("update", List.of(item("Theirs", phone)))).post(BATCH);
        theirs.then().statusCode(200).body("data.results[0].status", equalTo(201));
        assertThat((Integer) theirs.path("data.results[0].data.id")).isNotEqualTo(mine);
        signed().get("/api/developer/contacts/" + mine).then().body("data.name", equalTo("Mine")).header("ETag", equalTo("\"0\""));
    }

    @Test
    void concurrentBatchesSharingPhonesEndInOneContactPerPhone() throws Exception {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            phones.add(TestData.uniquePhone());
        }
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<String> order = new ArrayList<>(phones);
                // Opposite orders in half the batches: row locks taken crosswise must not deadlock into a 500.
                if (w % 2 == 1) {
                    Collections.reverse(order);
                }
                List<String> items = new ArrayList<>();
                for (String phone : order) {
                    items.add(item("Writer " + w, phone));
                }
                String body = batch("update", items);
                calls.add(() -> json(body).post(BATCH));
            }
            int created = 0;
            for (Future<Response> done : pool.invokeAll(calls)) {
                Response response = done.get();
                assertThat(response.statusCode()).isEqualTo(200);
                List<Integer> statuses = response.path("data.results.status");
                assertThat(statuses).isSubsetOf(200, 201);
                created += statuses.stream().filter(s -> s == 201).count();
            }
            assertThat(created).isEqualTo(phones.size());
        } finally {
            pool.shutdown();
        }
        for (String phone : phones) {
            signed().get("/api/developer/contacts?search=" + phone).then().statusCode(200).body("meta.total", equalTo(1));
        }
    }
}
