package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.IMPORTS;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.support.Api.as;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** What the export writes, the importer reads back exactly: Arabic, line breaks, quotes and formula-like text included. */
@QuarkusTest
class ImportRoundTripTest {

    @Inject
    ImportWorker worker;

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }

    @Test
    void anExportedFileImportsBackExactly() {
        // A sender id of their own lets the exports filter exactly these contacts.
        String sender = String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L));
        List<List<String>> contacts = List.of(
                List.of("أحمد العلي", "أحمد بن علي", "ahmed@example.com", "سطر أول\nسطر ثان", "الرياض، \"حي النخيل\""),
                List.of("=SUM(A1:A2)", "+1 formula", "sara@example.com", "-5 starts with minus", "@home"),
                List.of("Quote \"inside\", comma", "Tab\tinside", "o'brien@example.com", "line\r\nwith CRLF", "'already quoted"));
        int favorite = 0;
        for (List<String> contact : contacts) {
            signed().contentType("application/json").body("{\"name\":" + quoted(contact.get(0)) + ",\"full_name\":"
                    + quoted(contact.get(1)) + ",\"phone\":\"+" + TestData.uniquePhone() + "\",\"email\":" + quoted(contact.get(2))
                    + ",\"description\":" + quoted(contact.get(3)) + ",\"address\":" + quoted(contact.get(4))
                    + ",\"is_favorite\":" + (favorite++ % 2 == 0) + "}")
                    .post("/api/developer/contacts?phone_number_id=" + sender).then().statusCode(201);
        }
        String query = "?format=csv&bom=true&sort=name&phone_number_id=" + sender;
        byte[] exported = signed().get("/api/developer/contacts/export" + query).then().statusCode(200).extract().asByteArray();
        assertThat(new String(exported, StandardCharsets.UTF_8)).contains("أحمد العلي").contains("\"'=SUM(A1:A2)\"");

        int id = as("other-client", "other-secret", "gamma").contentType("text/csv").body(exported)
                .post(IMPORTS + "?phone_number_id=" + sender).then().statusCode(202).extract().path("data.id");
        worker.drain();
        as("other-client", "other-secret", "gamma").get(IMPORTS + "/" + id).then().statusCode(200)
                .body("data.status", equalTo("completed")).body("data.counts.created", equalTo(3))
                .body("data.counts.failed", equalTo(0));
        byte[] again = as("other-client", "other-secret", "gamma").get("/api/developer/contacts/export" + query).then()
                .statusCode(200).extract().asByteArray();
        // The built-in columns are equal; custom attribute columns follow the workspace's own definitions (which
        // other tests add to alpha, none to gamma), so only the first nine columns are compared.
        assertThat(builtIn(again)).isEqualTo(builtIn(exported)).hasSize(4);
    }

    private static List<List<String>> builtIn(byte[] csv) {
        try (com.fasterxml.jackson.databind.MappingIterator<List<String>> rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
                .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).readerForListOf(String.class)
                .readValues(csv)) {
            return rows.readAll().stream().map(row -> row.subList(0, 9)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
