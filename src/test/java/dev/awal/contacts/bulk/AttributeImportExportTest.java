package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.IMPORTS;
import static dev.awal.contacts.bulk.ImportSupport.errors;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Custom attributes through the bulk paths: export writes them (CSV columns named by key, NDJSON objects), import
 * reads them back (validated per type, errors naming the column), by-phone PUT and batch validate and merge them.
 */
@QuarkusTest
class AttributeImportExportTest {

    private static final String DEFINITIONS = "/api/developer/contact-attributes";
    private static final String BY_PHONE = "/api/developer/contacts/by-phone/";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Inject
    ImportWorker worker;

    private static String key(String base) {
        return base + "_" + RUN + "_" + SEQUENCE.incrementAndGet();
    }

    private static String sender() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L));
    }

    /** The four definitions of a test, in the given workspaces. */
    private record Keys(String city, String tier, String orders, String birthday) {
        static Keys define(String... workspaces) {
            Keys keys = new Keys(key("city"), key("tier"), key("orders"), key("birthday"));
            for (int w = 0; w < workspaces.length; w++) {
                String workspace = workspaces[w];
                for (String body : List.of(
                        "{\"key\":\"" + keys.city + "\",\"label\":\"City\",\"type\":\"text\",\"max_length\":40}",
                        "{\"key\":\"" + keys.tier + "\",\"label\":\"Tier\",\"type\":\"enum\",\"options\":[\"Gold\",\"Silver\"]}",
                        "{\"key\":\"" + keys.orders + "\",\"label\":\"Orders\",\"type\":\"number\"}",
                        "{\"key\":\"" + keys.birthday + "\",\"label\":\"Birthday\",\"type\":\"date\"}")) {
                    // The same signed body for another workspace would be a replay: a description of its own.
                    inWorkspace(workspace).contentType("application/json")
                            .body(body.replace("{\"key\"", "{\"description\":\"in " + workspace + "\",\"key\""))
                            .post(DEFINITIONS).then().statusCode(201);
                }
            }
            return keys;
        }
    }

    private static Keys alphaOnly;
    private static Keys alphaAndBeta;

    /**
     * One set of definitions per scope, shared by the tests (each uses its own phones and senders): a workspace
     * holds at most contacts.attributes.max-per-workspace definitions, and other test classes define some too.
     */
    private static synchronized Keys alphaOnly() {
        if (alphaOnly == null) {
            alphaOnly = Keys.define("alpha");
        }
        return alphaOnly;
    }

    private static synchronized Keys alphaAndBeta() {
        if (alphaAndBeta == null) {
            alphaAndBeta = Keys.define("alpha", "beta");
        }
        return alphaAndBeta;
    }

    /** Each line's custom_attributes of an NDJSON export, in the export's order. */
    private static List<JsonNode> attributesOf(String ndjson) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isBlank()) {
                found.add(JSON.readTree(line).get("custom_attributes"));
            }
        }
        return found;
    }

    private int importFile(String workspace, String contentType, byte[] file, String sender) {
        int id = inWorkspace(workspace).contentType(contentType).body(file).post(IMPORTS + "?phone_number_id=" + sender).then()
                .statusCode(202).extract().path("data.id");
        worker.drain();
        return id;
    }

    @Test
    void exportedAttributesImportBackIntoAnotherWorkspace() throws Exception {
        Keys keys = alphaAndBeta();
        String sender = sender();
        json("{\"name\":\"أحمد\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"custom_attributes\":{\"" + keys.city
                + "\":\"الرياض، \\\"النخيل\\\"\",\"" + keys.tier + "\":\"gold\",\"" + keys.orders + "\":12.50,\"" + keys.birthday
                + "\":\"2024-02-29\"}}").post("/api/developer/contacts?phone_number_id=" + sender).then().statusCode(201);
        json("{\"name\":\"Sara\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"custom_attributes\":{\"" + keys.city
                + "\":\"=cmd\",\"" + keys.orders + "\":-3}}").post("/api/developer/contacts?phone_number_id=" + sender).then()
                .statusCode(201);
        json("{\"name\":\"Zaid\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=" + sender).then().statusCode(201);

        String query = "?sort=name&phone_number_id=" + sender;
        byte[] csv = signed().get("/api/developer/contacts/export" + query + "&format=csv").then().statusCode(200).extract()
                .asByteArray();
        String text = new String(csv, StandardCharsets.UTF_8);
        String header = text.substring(0, text.indexOf("\r\n"));
        // Built-in columns first, then every definition of the workspace by key (these four among them, in key order).
        assertThat(header).startsWith("\"name\",\"full_name\",\"phone\",\"email\",\"description\",\"address\",\"is_favorite\","
                + "\"contact_group_id\",\"branch_id\",");
        List<String> ours = List.of(keys.birthday, keys.city, keys.orders, keys.tier);
        assertThat(ours.stream().map(k -> header.indexOf("\"" + k + "\"")).toList()).isSorted().doesNotContain(-1);
        assertThat(text).contains("\"الرياض، \"\"النخيل\"\"\"").contains("\"'=cmd\"").contains("\"Gold\"")
                .contains("\"12.5\"").contains("\"2024-02-29\"");
        String expected = signed().get("/api/developer/contacts/export" + query + "&format=ndjson").then().statusCode(200)
                .extract().asString();

        int id = importFile("beta", "text/csv", csv, sender);
        inWorkspace("beta").get(IMPORTS + "/" + id).then().statusCode(200).body("data.status", equalTo("completed"))
                .body("data.counts.created", equalTo(3)).body("data.counts.failed", equalTo(0))
                .body("data.unknown_columns", not(hasItem(keys.tier)));
        String imported = inWorkspace("beta").get("/api/developer/contacts/export" + query + "&format=ndjson").then()
                .statusCode(200).extract().asString();
        assertThat(attributesOf(imported)).isEqualTo(attributesOf(expected));
        assertThat(attributesOf(imported).stream().filter(found -> found.has(keys.tier)).findFirst().orElseThrow()
                .get(keys.orders).decimalValue()).isEqualByComparingTo("12.5");

        // The NDJSON export reads back too: every contact exists in beta now, so nothing changes.
        int again = importFile("beta", "application/x-ndjson", expected.getBytes(StandardCharsets.UTF_8), sender);
        inWorkspace("beta").get(IMPORTS + "/" + again).then().statusCode(200).body("data.status", equalTo("completed"))
                .body("data.counts.unchanged", equalTo(3)).body("data.counts.failed", equalTo(0))
                .body("data.unknown_columns", not(hasItem("custom_attributes")));
    }

    @Test
    void ndjsonImportWritesAndMergesAttributes() throws Exception {
        Keys keys = alphaAndBeta();
        String sender = sender();
        String phone = TestData.uniquePhone();
        String line = "{\"name\":\"نورة\",\"phone\":\"+" + phone + "\",\"custom_attributes\":{\"" + keys.tier + "\":\"SILVER\",\""
                + keys.orders + "\":7}}\n{\"name\":\"Bad\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"custom_attributes\":{\""
                + keys.birthday + "\":\"29/02/2024\"}}\n";
        int id = importFile("beta", "application/x-ndjson", line.getBytes(StandardCharsets.UTF_8), sender);
        inWorkspace("beta").get(IMPORTS + "/" + id).then().statusCode(200).body("data.counts.created", equalTo(1))
                .body("data.counts.failed", equalTo(1));
        assertThat(errors("beta", id)).contains("\"2\",\"custom_attributes." + keys.birthday + "\"");
        inWorkspace("beta").get(BY_PHONE + phone).then().statusCode(200)
                .body("data.custom_attributes." + keys.tier, equalTo("Silver"))
                .body("data.custom_attributes." + keys.orders, equalTo(7));
    }

    @Test
    void anInvalidCellIsReportedWithItsColumnAndOtherWorkspacesKeysAreUnknown() {
        Keys keys = alphaOnly();
        String sender = sender();
        String good = TestData.uniquePhone();
        String bad = TestData.uniquePhone();
        // Headers match keys case- and space-insensitively, as the built-in columns do.
        String ordersHeader = " " + keys.orders.toUpperCase(java.util.Locale.ROOT) + " ";
        String csv = "name,phone," + ordersHeader + "," + keys.tier + "\r\n"
                + "Good,+" + good + ",5,silver\r\n"
                + "Bad,+" + bad + ",five,Gold\r\n"
                + "Worse,+" + TestData.uniquePhone() + ",1,Bronze\r\n";
        int id = importFile("alpha", "text/csv", csv.getBytes(StandardCharsets.UTF_8), sender);
        signed().get(IMPORTS + "/" + id).then().statusCode(200).body("data.status", equalTo("completed"))
                .body("data.counts.created", equalTo(1)).body("data.counts.failed", equalTo(2))
                .body("data.unknown_columns", equalTo(List.of()));
        String report = errors("alpha", id);
        assertThat(report).contains("\"3\",\"" + ordersHeader + "\",\"must be a number");
        assertThat(report).contains("\"4\",\"" + keys.tier + "\",\"must be one of");
        signed().get(BY_PHONE + good).then().statusCode(200).body("data.custom_attributes." + keys.tier, equalTo("Silver"))
                .body("data.custom_attributes." + keys.orders, equalTo(5));
        signed().get(BY_PHONE + bad).then().statusCode(404);

        // Tenancy: gamma does not define these keys, so their columns are unknown there and nothing is stored.
        String foreign = TestData.uniquePhone();
        String other = "name,phone," + keys.tier + "\r\nForeign,+" + foreign + ",Gold\r\n";
        int otherId = dev.awal.contacts.support.Api.as("other-client", "other-secret", "gamma").contentType("text/csv")
                .body(other.getBytes(StandardCharsets.UTF_8)).post(IMPORTS + "?phone_number_id=" + sender).then()
                .statusCode(202).extract().path("data.id");
        worker.drain();
        dev.awal.contacts.support.Api.as("other-client", "other-secret", "gamma").get(IMPORTS + "/" + otherId).then()
                .statusCode(200).body("data.counts.created", equalTo(1)).body("data.unknown_columns", contains(keys.tier));
        dev.awal.contacts.support.Api.as("other-client", "other-secret", "gamma").get(BY_PHONE + foreign).then()
                .statusCode(200).body("data.custom_attributes", equalTo(java.util.Map.of()));
    }

    @Test
    void byPhoneValidatesAndMergesAttributes() {
        Keys keys = alphaOnly();
        String phone = TestData.uniquePhone();
        String path = BY_PHONE + phone + "?phone_number_id=1";
        json("{\"name\":\"عبدالله\",\"custom_attributes\":{\"" + keys.tier + "\":\"gold\",\"" + keys.orders + "\":3,\""
                + keys.city + "\":\"جدة\"}}").put(path).then().statusCode(201)
                .body("data.custom_attributes." + keys.tier, equalTo("Gold"))
                .body("data.custom_attributes." + keys.city, equalTo("جدة"));
        // Merge: absent keys stay, null removes one.
        json("{\"name\":\"عبدالله\",\"custom_attributes\":{\"" + keys.orders + "\":null,\"" + keys.birthday + "\":\"2000-01-31\"}}")
                .put(path).then().statusCode(200)
                .body("data.custom_attributes." + keys.tier, equalTo("Gold"))
                .body("data.custom_attributes." + keys.orders, nullValue())
                .body("data.custom_attributes." + keys.birthday, equalTo("2000-01-31"))
                .body("data.custom_attributes.size()", equalTo(3));
        // The same values again: nothing is written.
        json("{\"name\":\"عبدالله\",\"custom_attributes\":{\"" + keys.tier + "\":\"Gold\"}}").put(path).then().statusCode(200)
                .header("ETag", equalTo("\"1\""));
        json("{\"name\":\"عبدالله\",\"custom_attributes\":{\"" + keys.orders + "\":\"many\"}}").put(path).then().statusCode(422)
                .body("error", equalTo("validation_failed")).body("details.'custom_attributes." + keys.orders + "'",
                        org.hamcrest.Matchers.notNullValue());
        json("{\"name\":\"عبدالله\",\"custom_attributes\":[1]}").put(path).then().statusCode(400)
                .body("details.custom_attributes", org.hamcrest.Matchers.notNullValue());
        // With If-Match the attributes are validated as well, and merged.
        json("{\"name\":\"عبدالله\",\"custom_attributes\":{\"" + keys.tier + "\":\"silver\"}}").header("If-Match", "\"1\"")
                .put(path).then().statusCode(200).body("data.custom_attributes." + keys.tier, equalTo("Silver"))
                .body("data.custom_attributes." + keys.city, equalTo("جدة"));

        // Tenancy: beta does not define alpha's keys, and alpha's contact is untouched by beta's upsert of the same phone.
        inWorkspace("beta").contentType("application/json").body("{\"name\":\"Beta\",\"custom_attributes\":{\"" + keys.tier
                + "\":\"Gold\"}}").put(path).then().statusCode(422)
                .body("details.'custom_attributes." + keys.tier + "'", equalTo("is not an attribute defined in this workspace"));
        signed().get(BY_PHONE + phone).then().statusCode(200).body("data.custom_attributes." + keys.tier, equalTo("Silver"));
    }

    @Test
    void batchItemsKeepEveryDigitAndRefuseYearZeroAndUnstorableKeysAlone() {
        Keys keys = alphaOnly();
        String exact = TestData.uniquePhone();
        String zero = TestData.uniquePhone();
        String nul = TestData.uniquePhone();
        String body = "{\"contacts\":["
                + "{\"name\":\"Exact\",\"phone\":\"+" + exact + "\",\"custom_attributes\":{\"" + keys.orders + "\":123456789012345.123456}},"
                + "{\"name\":\"Zero\",\"phone\":\"+" + zero + "\",\"custom_attributes\":{\"" + keys.birthday + "\":\"0000-01-01\"}},"
                + "{\"name\":\"Nul\",\"phone\":\"+" + nul + "\",\"custom_attributes\":{\"a\\u0000b\":1}}]}";
        json(body).post("/api/developer/contacts/batch?phone_number_id=1").then().statusCode(200)
                .body("data.results.status", contains(201, 422, 422))
                .body("data.results[1].error.details.'custom_attributes." + keys.birthday + "'",
                        org.hamcrest.Matchers.startsWith("must be a date from 0001-01-01"))
                .body("data.results[2].error.details.custom_attributes",
                        org.hamcrest.Matchers.containsString("cannot be stored"));
        // Read as a BigDecimal, not a double (which kept 123456789012345.12).
        String stored = signed().get(BY_PHONE + exact).then().statusCode(200).extract().asString();
        assertThat(stored).contains("\"" + keys.orders + "\":123456789012345.123456");
        signed().get(BY_PHONE + zero).then().statusCode(404);
        // The same date as a filter is refused too, not failed in the database.
        signed().urlEncodingEnabled(false).get("/api/developer/contacts?attributes%5B" + keys.birthday + "%5D=0000-01-01").then().statusCode(400);
    }

    @Test
    void aNulInARefusedRowOrTheHeaderIsReportedNotRetriedForEver() {
        String sender = sender();
        String good = TestData.uniquePhone();
        byte[] csv = ("name,phone,no\u0000te\r\n\"a\u0000b\",+" + TestData.uniquePhone() + ",x\r\nGood,+" + good + ",y\r\n")
                .getBytes(StandardCharsets.UTF_8);
        int id = importFile("alpha", "text/csv", csv, sender);
        inWorkspace("alpha").get(IMPORTS + "/" + id).then().statusCode(200).body("data.status", equalTo("completed"))
                .body("data.counts.created", equalTo(1)).body("data.counts.failed", equalTo(1));
        assertThat(errors("alpha", id)).contains("a\uFFFDb");
        signed().get(BY_PHONE + good).then().statusCode(200);
    }

    @Test
    void batchItemsWithInvalidAttributesFailAlone() {
        Keys keys = alphaOnly();
        String first = TestData.uniquePhone();
        String second = TestData.uniquePhone();
        String third = TestData.uniquePhone();
        String body = "{\"contacts\":["
                + "{\"name\":\"One\",\"phone\":\"+" + first + "\",\"custom_attributes\":{\"" + keys.tier + "\":\"gold\",\"" + keys.orders + "\":1.5}},"
                + "{\"name\":\"Two\",\"phone\":\"+" + second + "\",\"custom_attributes\":{\"" + keys.tier + "\":\"Bronze\"}},"
                + "{\"name\":\"Three\",\"phone\":\"+" + third + "\",\"custom_attributes\":{\"nope_" + RUN + "\":\"x\"}}]}";
        json(body).post("/api/developer/contacts/batch?phone_number_id=1").then().statusCode(200)
                .body("data.results.status", contains(201, 422, 422))
                .body("data.results[0].data.custom_attributes." + keys.tier, equalTo("Gold"))
                .body("data.results[1].error.details.'custom_attributes." + keys.tier + "'",
                        org.hamcrest.Matchers.startsWith("must be one of"))
                .body("data.results[2].error.details.'custom_attributes.nope_" + RUN + "'",
                        equalTo("is not an attribute defined in this workspace"))
                .body("data.counts.created", equalTo(1)).body("data.counts.failed", equalTo(2));
        signed().get(BY_PHONE + second).then().statusCode(404);
        // An update merges: the first item's orders stays while its tier changes.
        json("{\"contacts\":[{\"name\":\"One\",\"phone\":\"+" + first + "\",\"custom_attributes\":{\"" + keys.tier
                + "\":\"Silver\"}}]}").post("/api/developer/contacts/batch?phone_number_id=1").then().statusCode(200)
                .body("data.results[0].status", equalTo(200))
                .body("data.results[0].data.custom_attributes." + keys.tier, equalTo("Silver"))
                .body("data.results[0].data.custom_attributes." + keys.orders, equalTo(1.5f));
        // Another workspace's batch cannot use alpha's keys.
        inWorkspace("beta").contentType("application/json").body("{\"contacts\":[{\"name\":\"B\",\"phone\":\"+" + first
                + "\",\"custom_attributes\":{\"" + keys.tier + "\":\"Gold\"}}]}")
                .post("/api/developer/contacts/batch?phone_number_id=1").then().statusCode(200)
                .body("data.results[0].status", equalTo(422));
    }

    @Test
    void concurrentUpsertsAndADefinitionDeleteLeaveNoOrphanValue() throws Exception {
        String doomed = key("doomed");
        long id = inWorkspace("alpha").contentType("application/json")
                .body("{\"key\":\"" + doomed + "\",\"label\":\"Doomed\",\"type\":\"number\"}").post(DEFINITIONS).then()
                .statusCode(201).extract().<Number>path("data.id").longValue();
        String phone = TestData.uniquePhone();
        int writers = 6;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(writers + 1);
        try {
            List<java.util.concurrent.Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"name\":\"Racer " + i + "\",\"custom_attributes\":{\"" + doomed + "\":" + i + "}}";
                calls.add(() -> json(body).put(BY_PHONE + phone + "?phone_number_id=1").statusCode());
            }
            calls.add(() -> signed().delete(DEFINITIONS + "/" + id).statusCode());
            List<Integer> statuses = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> done : threads.invokeAll(calls)) {
                statuses.add(done.get());
            }
            // Upserts before the delete write the value (then cleared by it); those after it find no such key (422).
            assertThat(statuses.subList(0, writers)).isSubsetOf(200, 201, 422);
            assertThat(statuses.get(writers)).isEqualTo(200);
        } finally {
            threads.shutdown();
        }
        signed().get(BY_PHONE + phone).then().body("data.custom_attributes", not(org.hamcrest.Matchers.hasKey(doomed)));
    }
}
