package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.IMPORTS;
import static dev.awal.contacts.bulk.ImportSupport.errors;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.Api.as;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** NDJSON import files: one JSON contact per line, judged by the JSON create's rules, every bad line reported. */
@QuarkusTest
class ImportNdjsonTest {

    private static final String BY_PHONE = "/api/developer/contacts/by-phone/";

    @Inject
    ImportWorker worker;

    @Test
    void importsEachLineAndReportsTheBadOnesByLineNumber() {
        String a = TestData.uniquePhone();
        String b = TestData.uniquePhone();
        String national = TestData.uniquePhone();
        String ndjson = "{\"name\":\"أحمد\",\"phone\":\"+" + a + "\",\"email\":\"ahmed@example.com\",\"is_favorite\":true,\"notes\":1}\n"
                + "{\"name\":\"Broken\",\"phone\":\n"
                + "\r\n"
                + "[\"not\",\"an\",\"object\"]\n"
                + "{\"name\":\"Bad phone\",\"phone\":\"12\"}\r\n"
                + "{\"name\":42,\"phone\":\"+" + b + "\"}\n"
                + "{\"name\":\"Local\",\"phone\":\"0" + national.substring(3) + "\"}\r\n"
                + "{\"name\":\"Later wins\",\"phone\":\"+" + a + "\"}";
        int id = inWorkspace(WORKSPACE).contentType("application/x-ndjson").body(ndjson.getBytes(StandardCharsets.UTF_8))
                .post(IMPORTS + "?phone_number_id=1&default_region=SA").then().statusCode(202)
                .body("data.format", equalTo("ndjson")).body("data.counts.total_rows", equalTo(7))
                .body("data.unknown_columns", hasItems("notes")).extract().path("data.id");
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.rows_read", equalTo(7))
                .body("data.counts.created", equalTo(2)).body("data.counts.failed", equalTo(4))
                .body("data.counts.skipped", equalTo(1)).body("data.counts.duplicates_in_file", equalTo(1));
        String report = errors(WORKSPACE, id);
        assertThat(report).startsWith("\"row\",\"column\",\"reason\",\"line\"\r\n")
                .contains("\"2\",\"line\",\"is not valid JSON\"")
                .contains("\"4\",\"line\",\"must be a JSON object (one contact per line)\"")
                .contains("\"5\",\"phone\",")
                .contains("\"6\",\"name\",")
                .contains("\"1\",\"phone\",\"same phone as row 8, which replaces this row\"");
        signed().get(BY_PHONE + a).then().statusCode(200).body("data.name", equalTo("Later wins"));
        signed().get(BY_PHONE + national).then().statusCode(200).body("data.name", equalTo("Local"));
        signed().get(BY_PHONE + b).then().statusCode(404);
    }

    @Test
    void aMultipartFileNamedNdjsonIsReadAsNdjson() {
        String phone = TestData.uniquePhone();
        Bodies.Multipart body = Bodies.multipart().field("phone_number_id", "77")
                .file("file", "contacts.ndjson", "application/octet-stream",
                        ("{\"name\":\"From a form\",\"phone\":\"+" + phone + "\"}\n").getBytes(StandardCharsets.UTF_8));
        int id = signed().contentType(body.contentType()).body(body.bytes()).post(IMPORTS).then().statusCode(202)
                .body("data.format", equalTo("ndjson")).extract().path("data.id");
        worker.drain();
        job(WORKSPACE, id).body("data.counts.created", equalTo(1));
        signed().get(BY_PHONE + phone).then().statusCode(200).body("data.name", equalTo("From a form"));
    }

    @Test
    void notUtf8IsRefusedAtUpload() {
        byte[] latin1 = "{\"name\":\"caf\u00e9\",\"phone\":\"+966501234567\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        inWorkspace(WORKSPACE).contentType("application/x-ndjson").body(latin1).post(IMPORTS + "?phone_number_id=1")
                .then().statusCode(422).body("details.file", equalTo("The file is not UTF-8 text"));
    }

    @Test
    void anNdjsonExportImportsBackExactly() {
        String sender = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L));
        String[] names = { "أحمد \"العلي\"", "=SUM(A1)", "line\nbreak" };
        for (String name : names) {
            signed().contentType("application/json").body("{\"name\":\"" + name.replace("\"", "\\\"").replace("\n", "\\n")
                    + "\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"address\":\"Riyadh\",\"is_favorite\":true}")
                    .post("/api/developer/contacts?phone_number_id=" + sender).then().statusCode(201);
        }
        String query = "?sort=name&phone_number_id=" + sender;
        byte[] exported = signed().get("/api/developer/contacts/export" + query + "&format=ndjson").then().statusCode(200)
                .extract().asByteArray();
        int id = as("other-client", "other-secret", "gamma").contentType("application/x-ndjson").body(exported)
                .post(IMPORTS + "?phone_number_id=" + sender).then().statusCode(202)
                .body("data.unknown_columns", hasItems("id", "created_at")).extract().path("data.id");
        worker.drain();
        as("other-client", "other-secret", "gamma").get(IMPORTS + "/" + id).then().statusCode(200)
                .body("data.status", equalTo("completed")).body("data.counts.created", equalTo(3))
                .body("data.counts.failed", equalTo(0));
        String before = signed().get("/api/developer/contacts/export" + query + "&format=csv").then().statusCode(200)
                .extract().asString();
        String after = as("other-client", "other-secret", "gamma").get("/api/developer/contacts/export" + query + "&format=csv")
                .then().statusCode(200).extract().asString();
        // The built-in columns; custom attribute columns follow each workspace's own definitions.
        assertThat(builtIn(after)).isEqualTo(builtIn(before)).hasSize(4);
    }

    private static java.util.List<java.util.List<String>> builtIn(String csv) {
        try (com.fasterxml.jackson.databind.MappingIterator<java.util.List<String>> rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).readerForListOf(String.class)
                .readValues(csv)) {
            return rows.readAll().stream().map(row -> row.subList(0, 9)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
