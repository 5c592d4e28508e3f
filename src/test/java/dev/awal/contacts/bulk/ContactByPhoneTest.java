package dev.awal.contacts.bulk;

import static dev.awal.contacts.support.Api.OTHER_WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Lookup and upsert by phone: one atomic statement, constraint-decided races, partial updates, If-Match. */
@QuarkusTest
class ContactByPhoneTest {

    private static final String BY_PHONE = "/api/developer/contacts/by-phone/";

    /** 96650XXXXXXX as a person in Saudi Arabia writes it: 050 XXX XXXX. */
    private static String national(String phone) {
        return "0" + phone.substring(3);
    }

    @Test
    void findsAContactWhateverTheFormatting() {
        String phone = TestData.uniquePhone();
        int id = json("{\"name\":\"Formatted\",\"phone\":\"+" + phone + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201).extract().path("data.id");
        String spaced = "+966 " + phone.substring(3, 5) + " " + phone.substring(5, 8) + " " + phone.substring(8);
        for (String written : List.of(phone, "+" + phone, "00" + phone, spaced)) {
            signed().get(BY_PHONE + written).then().statusCode(200).body("data.id", equalTo(id))
                    .header("ETag", equalTo("\"0\""));
        }
        signed().get(BY_PHONE + national(phone) + "?default_region=SA").then().statusCode(200).body("data.id", equalTo(id));
        signed().get(BY_PHONE + national(phone) + "?default_region=sa").then().statusCode(200).body("data.id", equalTo(id));
        signed().header("If-None-Match", "\"0\"").get(BY_PHONE + phone).then().statusCode(304);
    }

    @Test
    void unknownInvalidAndForeignPhonesAreAnswered() {
        String phone = TestData.uniquePhone();
        signed().get(BY_PHONE + phone).then().statusCode(404).body("error", equalTo("resource_not_found"));
        signed().get(BY_PHONE + "12ab").then().statusCode(422).body("error", equalTo("validation_failed"))
                .body("details.phone", org.hamcrest.Matchers.containsString("valid"));
        // Without a region a national number is not a valid international one.
        signed().get(BY_PHONE + national(phone)).then().statusCode(422);
        signed().get(BY_PHONE + phone + "?default_region=XX").then().statusCode(400)
                .body("error", equalTo("bad_request")).body("details.default_region", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void putCreatesThenUpdatesOnlyTheSentFields() {
        String phone = TestData.uniquePhone();
        Response created = json("{\"name\":\"Upserted\",\"email\":\"up@example.com\",\"description\":\"kept\"}")
                .put(BY_PHONE + national(phone) + "?phone_number_id=7&default_region=SA");
        created.then().statusCode(201).header("ETag", equalTo("\"0\""))
                .body("message", equalTo("Contact created successfully"))
                .body("data.phone", equalTo(phone)).body("data.phone_number_id", equalTo("7"))
                .body("data.is_favorite", equalTo(false));
        int id = created.path("data.id");
        assertThat(created.header("Location")).endsWith("/api/developer/contacts/" + id);

        json("{\"name\":\"Renamed\",\"email\":null,\"is_favorite\":true}").put(BY_PHONE + "+" + phone + "?phone_number_id=9")
                .then().statusCode(200).header("ETag", equalTo("\"1\""))
                .body("data.id", equalTo(id)).body("data.name", equalTo("Renamed"))
                .body("data.email", nullValue()).body("data.description", equalTo("kept"))
                .body("data.is_favorite", equalTo(true)).body("data.phone_number_id", equalTo("7"));

        // "phone": null (a generated client's required field left unset) means the path's phone.
        json("{\"name\":\"Renamed\",\"phone\":null}").put(BY_PHONE + phone + "?phone_number_id=9").then().statusCode(200)
                .header("ETag", equalTo("\"1\"")).body("data.phone", equalTo(phone));
        // The same values again write nothing: the version stays.
        json("{\"name\":\"Renamed\"}").put(BY_PHONE + phone + "?phone_number_id=9").then().statusCode(200)
                .header("ETag", equalTo("\"1\"")).body("data.description", equalTo("kept"));
        signed().get("/api/developer/contacts/" + id).then().statusCode(200).body("data.name", equalTo("Renamed"));
    }

    @Test
    void putHonoursIfMatch() {
        String phone = TestData.uniquePhone();
        // Bodies differ between requests: an identical signed request in the same second is a replay.
        json("{\"name\":\"Guarded first\"}").header("If-Match", "*").put(BY_PHONE + phone + "?phone_number_id=1")
                .then().statusCode(412).body("error", equalTo("precondition_failed"));
        signed().get(BY_PHONE + phone).then().statusCode(404);
        json("{\"name\":\"Guarded\"}").put(BY_PHONE + phone + "?phone_number_id=1").then().statusCode(201);
        json("{\"name\":\"Stale\"}").header("If-Match", "\"5\"").put(BY_PHONE + phone + "?phone_number_id=1")
                .then().statusCode(412).body("details.If-Match", org.hamcrest.Matchers.containsString("\"0\""));
        json("{\"name\":\"Fresh\"}").header("If-Match", "W/\"0\"").put(BY_PHONE + phone + "?phone_number_id=1")
                .then().statusCode(200).header("ETag", equalTo("\"1\"")).body("data.name", equalTo("Fresh"));
        json("{\"name\":\"Any\"}").header("If-Match", "*").put(BY_PHONE + phone + "?phone_number_id=1")
                .then().statusCode(200).body("data.name", equalTo("Any"));
        signed().get(BY_PHONE + phone).then().body("data.name", equalTo("Any"));
    }

    @Test
    void putWithIfNoneMatchStarOnlyCreates() {
        String phone = TestData.uniquePhone();
        String path = BY_PHONE + phone + "?phone_number_id=1";
        int id = json("{\"name\":\"First\"}").header("If-None-Match", "*").put(path).then().statusCode(201)
                .header("ETag", equalTo("\"0\"")).extract().path("data.id");
        json("{\"name\":\"Second\"}").header("If-None-Match", "*").put(path).then().statusCode(412)
                .body("error", equalTo("precondition_failed"))
                .body("details.If-None-Match", equalTo("a contact with this phone exists (id " + id + ")"));
        json("{\"name\":\"Listed\"}").header("If-None-Match", "\"0\"").put(path).then().statusCode(400)
                .body("details.If-None-Match", org.hamcrest.Matchers.containsString("only *"));
        json("{\"name\":\"Both\"}").header("If-None-Match", "*").header("If-Match", "*").put(path).then().statusCode(412)
                .body("details.If-None-Match", org.hamcrest.Matchers.notNullValue());
        // None of the refused requests wrote anything.
        signed().get(BY_PHONE + phone).then().statusCode(200).header("ETag", equalTo("\"0\"")).body("data.name", equalTo("First"));
        // Another workspace's contact does not count: the phone is free there.
        inWorkspace(OTHER_WORKSPACE).header("If-None-Match", "*").contentType("application/json").body("{\"name\":\"Theirs\"}")
                .put(path).then().statusCode(201);
        signed().get(BY_PHONE + phone).then().body("data.name", equalTo("First"));
    }

    @Test
    void concurrentCreateOnlyUpsertsCreateOneContact() throws Exception {
        String phone = TestData.uniquePhone();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "Only " + i;
                calls.add(() -> json("{\"name\":\"" + name + "\"}").header("If-None-Match", "*")
                        .put(BY_PHONE + phone + "?phone_number_id=1").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> done : pool.invokeAll(calls)) {
                statuses.add(done.get());
            }
            assertThat(statuses).containsOnly(201, 412);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
        } finally {
            pool.shutdown();
        }
        signed().get(BY_PHONE + phone).then().statusCode(200).header("ETag", equalTo("\"0\""));
    }

    @Test
    void putRejectsBadInputNamingTheField() {
        String phone = TestData.uniquePhone();
        String path = BY_PHONE + phone + "?phone_number_id=1";
        json("{\"email\":\"x@example.com\"}").put(path).then().statusCode(422).body("details.name", org.hamcrest.Matchers.notNullValue());
        json("{\"name\":\"X\",\"email\":\"not-mail\"}").put(path).then().statusCode(422).body("details.email", org.hamcrest.Matchers.notNullValue());
        json("{\"name\":\"X\",\"phone\":\"+966501111111\"}").put(path).then().statusCode(422)
                .body("details.phone", equalTo("must be the same number as the phone in the path"));
        json("{\"name\":42}").put(path).then().statusCode(400).body("error", equalTo("bad_request"))
                .body("details.name", equalTo("must be a string"));
        json("{\"name\":\"X\",\"contact_group_id\":\"abc\"}").put(path).then().statusCode(400)
                .body("details.contact_group_id", org.hamcrest.Matchers.notNullValue());
        json("[1]").put(path).then().statusCode(400).body("details.body", equalTo("must be a JSON object"));
        json("{nope").put(path).then().statusCode(400).body("details.body", equalTo("is not valid JSON"));
        json("{\"name\":\"X\"}").put(BY_PHONE + phone).then().statusCode(422).body("details.phone_number_id", org.hamcrest.Matchers.notNullValue());
        json("{\"name\":\"X\",\"avatar\":\"https://example.com/a.jpg\"}").put(path).then().statusCode(422)
                .body("details.avatar", org.hamcrest.Matchers.notNullValue());
        signed().contentType("text/plain").body("name=X").put(path).then().statusCode(415);
        json("{\"name\":\"X\",\"contact_group_id\":999999999}").put(path).then().statusCode(422)
                .body("details.contact_group_id", equalTo("The selected contact group does not exist"));
        json("{\"name\":\"X\",\"branch_id\":999999999}").put(path).then().statusCode(422)
                .body("details.branch_id", equalTo("The selected branch does not exist"));
        // Nothing of all that was written.
        signed().get(BY_PHONE + phone).then().statusCode(404);
    }

    @Test
    void anotherWorkspaceNeitherSeesNorChangesTheContact() {
        String phone = TestData.uniquePhone();
        int id = json("{\"name\":\"Mine\"}").put(BY_PHONE + phone + "?phone_number_id=1").then().statusCode(201)
                .extract().path("data.id");
        inWorkspace(OTHER_WORKSPACE).get(BY_PHONE + phone).then().statusCode(404);
        inWorkspace(OTHER_WORKSPACE).header("If-Match", "*").contentType("application/json").body("{\"name\":\"Not theirs\"}")
                .put(BY_PHONE + phone + "?phone_number_id=1").then().statusCode(412);
        int theirs = inWorkspace(OTHER_WORKSPACE).contentType("application/json").body("{\"name\":\"Theirs\"}")
                .put(BY_PHONE + phone + "?phone_number_id=1").then().statusCode(201).extract().path("data.id");
        assertThat(theirs).isNotEqualTo(id);
        signed().get(BY_PHONE + phone).then().statusCode(200).body("data.name", equalTo("Mine")).body("data.id", equalTo(id));

        int foreignGroup = inWorkspace(OTHER_WORKSPACE).contentType("application/json")
                .body("{\"name\":\"Foreign " + phone + "\"}").post("/api/developer/contact-groups").then().statusCode(201)
                .extract().path("data.id");
        json("{\"name\":\"Mine\",\"contact_group_id\":" + foreignGroup + "}").put(BY_PHONE + phone + "?phone_number_id=1")
                .then().statusCode(422).body("details.contact_group_id", equalTo("The selected contact group does not exist"));
    }

    @Test
    void concurrentConditionalUpdatesWithOneEtagLetExactlyOneWin() throws Exception {
        String phone = TestData.uniquePhone();
        json("{\"name\":\"Contended\"}").put(BY_PHONE + phone + "?phone_number_id=1").then().statusCode(201);
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "Winner " + i;
                calls.add(() -> json("{\"name\":\"" + name + "\"}").header("If-Match", "\"0\"")
                        .put(BY_PHONE + phone + "?phone_number_id=1").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> done : pool.invokeAll(calls)) {
                statuses.add(done.get());
            }
            assertThat(statuses).isSubsetOf(200, 412);
            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(1);
        } finally {
            pool.shutdown();
        }
        signed().get(BY_PHONE + phone).then().statusCode(200).header("ETag", equalTo("\"1\""));
    }

    /**
     * An upsert naming a group and one of its branches holds the group before the branch, as every writer does: a
     * group deletion holds the group, then unlinks its branches, and an upsert that held the branch first while
     * waiting for the group closed a deadlock cycle. Here a session holds the group as a deletion would; while the
     * upsert waits for it, the branch must be free (NOWAIT would fail on the upsert's FOR SHARE otherwise).
     */
    @Test
    void anUpsertWaitingForAGroupHoldsNoneOfItsBranches() throws Exception {
        String phone = TestData.uniquePhone();
        int group = json("{\"name\":\"Locked " + phone + "\"}").post("/api/developer/contact-groups").then().statusCode(201)
                .extract().path("data.id");
        int branch = json("{\"name\":\"Branch " + phone + "\",\"contact_group_id\":" + group + "}")
                .post("/api/developer/branches?phone_number_id=1").then().statusCode(201).extract().path("data.id");
        try (java.sql.Connection deletion = dev.awal.contacts.support.DatabaseSessions.connect()) {
            deletion.setAutoCommit(false);
            try (java.sql.Statement sql = deletion.createStatement()) {
                sql.execute("SELECT id FROM contact_groups WHERE id = " + group + " FOR UPDATE");
                java.util.concurrent.CompletableFuture<Response> upsert = java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> json("{\"name\":\"Linked\",\"contact_group_id\":" + group + ",\"branch_id\":" + branch + "}")
                                .put(BY_PHONE + phone + "?phone_number_id=1"));
                dev.awal.contacts.support.DatabaseSessions.awaitLockWait("WITH input AS%"); // the upsert (its text is cut at 1 kB)
                sql.execute("SELECT id FROM branches WHERE id = " + branch + " FOR UPDATE NOWAIT");
                deletion.commit();
                assertThat(upsert.get(30, java.util.concurrent.TimeUnit.SECONDS).statusCode()).isEqualTo(201);
            }
        }
    }

    @Test
    void concurrentUpsertsOfOnePhoneEndInOneContact() throws Exception {
        String phone = TestData.uniquePhone();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String name = "Racer " + i;
                calls.add(() -> json("{\"name\":\"" + name + "\"}").put(BY_PHONE + phone + "?phone_number_id=1"));
            }
            List<Integer> statuses = new ArrayList<>();
            List<Integer> ids = new ArrayList<>();
            for (Future<Response> done : pool.invokeAll(calls)) {
                statuses.add(done.get().statusCode());
                ids.add(done.get().path("data.id"));
            }
            assertThat(statuses).containsOnly(200, 201);
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(1);
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            pool.shutdown();
        }
        signed().get("/api/developer/contacts?search=" + phone).then().statusCode(200).body("meta.total", equalTo(1));
    }
}
