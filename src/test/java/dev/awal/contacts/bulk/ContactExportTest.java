package dev.awal.contacts.bulk;

import static dev.awal.contacts.support.Api.OTHER_WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.awal.contacts.contact.ContactExport;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Export: the list's filters, streamed in keyset chunks, RFC 4180 CSV safe to open in a spreadsheet, or NDJSON. */
@QuarkusTest
class ContactExportTest {

    private static final String EXPORT = "/api/developer/contacts/export";
    private static final List<String> HEADER = List.of("name", "full_name", "phone", "email", "description", "address",
            "is_favorite", "contact_group_id", "branch_id");

    /** Letters only: digits in a search term also match phone digits, which would find other tests' contacts. */
    private static String marker() {
        StringBuilder letters = new StringBuilder("exp");
        for (char c : UUID.randomUUID().toString().replace("-", "").substring(0, 12).toCharArray()) {
            letters.append(Character.isDigit(c) ? (char) ('g' + (c - '0')) : c);
        }
        return letters.toString();
    }

    /** The CSV as rows of cells, read by a kept parser (not split by hand). */
    private static List<List<String>> csv(byte[] body) throws Exception {
        CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(body)) {
            while (it.hasNext()) {
                rows.add(Arrays.asList(it.next()));
            }
        }
        return rows;
    }

    @Test
    void csvKeepsArabicNewlinesAndQuotesAndDefusesFormulas() throws Exception {
        String marker = marker();
        String phone = TestData.uniquePhone();
        String formulas = TestData.uniquePhone();
        json("{\"name\":\"أحمد " + marker + "\",\"full_name\":\"He said \\\"hi\\\", then left\",\"phone\":\"+" + phone
                + "\",\"description\":\"line one\\nline two\",\"address\":\"الرياض, حي \\\"النخيل\\\"\",\"is_favorite\":true}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
        json("{\"name\":\"=HYPERLINK(\\\"http://evil\\\") " + marker + "\",\"full_name\":\"+SUM(1)\",\"phone\":\"+" + formulas
                + "\",\"description\":\"-2+3\",\"address\":\"@SUM(1)\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);

        Response response = signed().get(EXPORT + "?search=" + marker + "&sort=created_at");
        response.then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"contacts.csv\""));
        byte[] body = response.asByteArray();
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("\r\n").doesNotStartWith("\uFEFF");
        List<List<String>> rows = csv(body);
        assertThat(rows).hasSize(3);
        // Custom attribute columns (the workspace's definitions, which other tests add) follow the built-in ones.
        assertThat(rows.get(0).subList(0, HEADER.size())).isEqualTo(HEADER);
        assertThat(rows.get(1).subList(0, HEADER.size())).containsExactly("أحمد " + marker, "He said \"hi\", then left", phone, "", "line one\nline two",
                "الرياض, حي \"النخيل\"", "true", "", "");
        assertThat(rows.get(2).subList(0, HEADER.size())).containsExactly("'=HYPERLINK(\"http://evil\") " + marker, "'+SUM(1)", formulas, "",
                "'-2+3", "'@SUM(1)", "false", "", "");
    }

    @Test
    void leadingTabAndCarriageReturnAreDefusedToo() {
        // The API strips surrounding whitespace from fields, so these only reach the guard from older data.
        assertThat(ContactExport.guard("\tcmd")).isEqualTo("'\tcmd");
        assertThat(ContactExport.guard("\rcmd")).isEqualTo("'\rcmd");
        assertThat(ContactExport.guard("plain -text")).isEqualTo("plain -text");
        assertThat(ContactExport.guard(null)).isEmpty();
    }

    /** A value that already starts with quotes before a trigger gets one more, which the import takes off again. */
    @Test
    void theGuardAndTheImportsUnguardAreExactInverses() {
        for (String value : List.of("'=x", "''-- note", "'+1", "=x", "'plain", "'", "''", "plain", "-", "'@")) {
            assertThat(ContactExport.unguard(ContactExport.guard(value))).as(value).isEqualTo(value);
        }
        assertThat(ContactExport.guard("'=x")).isEqualTo("''=x");
        assertThat(ContactExport.guard("'plain")).isEqualTo("'plain");
    }

    /**
     * The export does not apply custom-attribute filters or sort: it refuses them by name instead of answering with
     * every contact (before: 200 with the filter ignored, and a sort error naming attributes.<key> as allowed).
     */
    @Test
    void attributeFiltersAndSortAreRefusedNotIgnored() {
        signed().queryParam("attributes[tier]", "gold").get(EXPORT).then().statusCode(400)
                .body("details.'attributes[tier]'", org.hamcrest.Matchers.containsString("does not filter by custom attributes"));
        signed().queryParam("sort", "-attributes.tier").get(EXPORT).then().statusCode(400)
                .body("details.sort", org.hamcrest.Matchers.containsString("not by a custom attribute"));
    }

    /** NDJSON never starts with a byte-order mark (before: bom=true put one before the first line, which JSON parsers refuse). */
    /**
     * Generated clients send the JSON type of the error answers (OpenAPI Generator's okhttp client) or the NDJSON
     * type (its Python client) as Accept; the download is the file whatever Accept says, its type set by format.
     */
    @Test
    void theFileIsServedWhateverAcceptSays() {
        String marker = marker();
        json("{\"name\":\"Accepted " + marker + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
        for (String accept : List.of("application/json", "application/x-ndjson", "text/csv, application/x-ndjson, application/json")) {
            signed().accept(accept).get(EXPORT + "?search=" + marker).then().statusCode(200)
                    .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv"))
                    .body(org.hamcrest.Matchers.containsString("Accepted " + marker));
            signed().accept(accept).get(EXPORT + "?format=ndjson&search=" + marker).then().statusCode(200)
                    .header("Content-Type", org.hamcrest.Matchers.startsWith("application/x-ndjson"));
        }
        // Elsewhere Accept still counts.
        signed().accept("text/csv").get("/api/developer/contacts").then().statusCode(400).body("details.Accept", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void ndjsonNeverStartsWithAByteOrderMark() throws Exception {
        String marker = marker();
        json("{\"name\":\"Accept " + marker + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
        byte[] body = signed().get(EXPORT + "?format=ndjson&bom=true&search=" + marker)
                .then().statusCode(200).header("Content-Type", org.hamcrest.Matchers.startsWith("application/x-ndjson"))
                .extract().asByteArray();
        assertThat(body[0]).isEqualTo((byte) '{');
        assertThat(new ObjectMapper().readTree(body).get("name").asText()).isEqualTo("Accept " + marker);
    }

    @Test
    void bomAndNdjson() throws Exception {
        String marker = marker();
        String phone = TestData.uniquePhone();
        json("{\"name\":\"Ndjson " + marker + "\",\"phone\":\"+" + phone + "\"}").post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201);
        byte[] withBom = signed().get(EXPORT + "?bom=true&search=" + marker).then().statusCode(200).extract().asByteArray();
        assertThat(Arrays.copyOf(withBom, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        assertThat(csv(Arrays.copyOfRange(withBom, 3, withBom.length))).hasSize(2);

        Response ndjson = signed().get(EXPORT + "?format=ndjson&search=" + marker);
        ndjson.then().statusCode(200).header("Content-Type", org.hamcrest.Matchers.startsWith("application/x-ndjson"))
                .header("Content-Disposition", equalTo("attachment; filename=\"contacts.ndjson\""));
        String[] lines = ndjson.asString().split("\n");
        assertThat(lines).hasSize(1);
        JsonNode contact = new ObjectMapper().readTree(lines[0]);
        assertThat(contact.get("phone").asText()).isEqualTo(phone);
        assertThat(contact.get("name").asText()).isEqualTo("Ndjson " + marker);
        assertThat(contact.has("phone_number_id")).isTrue();
    }

    @Test
    void streamsEveryMatchingContactOnceAcrossChunksInSortOrder() throws Exception {
        String marker = marker();
        int total = 1_234;
        Set<String> phones = new HashSet<>();
        for (int start = 0; start < total; start += 100) {
            List<String> items = new ArrayList<>();
            for (int i = start; i < Math.min(total, start + 100); i++) {
                String phone = TestData.uniquePhone();
                phones.add(phone);
                items.add("{\"name\":\"" + marker + " " + String.format("%05d", i) + "\",\"phone\":\"+" + phone
                        + "\",\"is_favorite\":" + (i % 2 == 0) + "}");
            }
            json("{\"contacts\":[" + String.join(",", items) + "]}").post("/api/developer/contacts/batch?phone_number_id=1")
                    .then().statusCode(200).body("data.counts.created", equalTo(items.size()));
        }
        List<List<String>> rows = csv(signed().get(EXPORT + "?sort=-name&search=" + marker).then().statusCode(200)
                .extract().asByteArray());
        List<List<String>> contacts = rows.subList(1, rows.size());
        assertThat(contacts).hasSize(total);
        assertThat(contacts.stream().map(row -> row.get(2)).toList())
                .containsExactlyInAnyOrderElementsOf(phones);
        List<String> names = contacts.stream().map(row -> row.get(0)).toList();
        assertThat(names).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        List<List<String>> favorites = csv(signed().get(EXPORT + "?is_favorite=true&search=" + marker).then().statusCode(200)
                .extract().asByteArray());
        assertThat(favorites).hasSize(1 + total / 2);
        assertThat(favorites.subList(1, favorites.size())).allSatisfy(row -> assertThat(row.get(6)).isEqualTo("true"));

        // Another workspace exports nothing of these.
        assertThat(csv(inWorkspace(OTHER_WORKSPACE).get(EXPORT + "?search=" + marker).then().statusCode(200)
                .extract().asByteArray()).stream().map(row -> row.subList(0, HEADER.size())).toList()).containsExactly(HEADER);
    }

    @Test
    void exportedRowsUpsertedElsewhereExportIdentically() throws Exception {
        String marker = marker();
        json("{\"name\":\"علي " + marker + "\",\"full_name\":\"Quote \\\" and, comma\",\"phone\":\"+" + TestData.uniquePhone()
                + "\",\"email\":\"ali@example.com\",\"description\":\"two\\nlines\",\"address\":\"جدة\",\"is_favorite\":true}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
        json("{\"name\":\"Plain " + marker + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201);
        byte[] exported = signed().get(EXPORT + "?sort=name&search=" + marker).then().statusCode(200).extract().asByteArray();
        List<List<String>> rows = csv(exported);
        assertThat(rows).hasSize(3);

        // Each row, read by its header, is a valid contact for the API's own rules (as the importer will read it).
        ObjectMapper mapper = new ObjectMapper();
        List<String> items = new ArrayList<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            com.fasterxml.jackson.databind.node.ObjectNode item = mapper.createObjectNode();
            for (int i = 0; i < HEADER.size(); i++) {
                String column = HEADER.get(i);
                String cell = row.get(i);
                if (cell.isEmpty()) {
                    continue;
                }
                // CSV cells are text; JSON wants the column's own type (a string is a wrong JSON type, 400).
                switch (column) {
                    case "is_favorite" -> item.put(column, Boolean.parseBoolean(cell));
                    case "contact_group_id", "branch_id" -> item.put(column, Long.parseLong(cell));
                    default -> item.put(column, cell);
                }
            }
            items.add(mapper.writeValueAsString(item));
        }
        inWorkspace(OTHER_WORKSPACE).contentType("application/json").body("{\"contacts\":[" + String.join(",", items) + "]}")
                .post("/api/developer/contacts/batch?phone_number_id=1").then().statusCode(200)
                .body("data.counts.created", equalTo(2));
        byte[] again = inWorkspace(OTHER_WORKSPACE).get(EXPORT + "?sort=name&search=" + marker).then().statusCode(200)
                .extract().asByteArray();
        // The built-in columns; custom attribute columns follow each workspace's own definitions.
        assertThat(builtIn(again)).isEqualTo(builtIn(exported)).hasSize(3);
    }

    private static List<List<String>> builtIn(byte[] body) throws Exception {
        return csv(body).stream().map(row -> row.subList(0, HEADER.size())).toList();
    }

    @Test
    void clientsThatHangUpMidExportLeaveNoConnectionBehind() throws Exception {
        String marker = marker();
        for (int batch = 0; batch < 30; batch++) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                items.add("{\"name\":\"" + marker + " " + batch + "-" + i + "\",\"phone\":\"+" + TestData.uniquePhone()
                        + "\",\"description\":\"" + "x".repeat(1500) + "\"}");
            }
            json("{\"contacts\":[" + String.join(",", items) + "]}").post("/api/developer/contacts/batch?phone_number_id=1")
                    .then().statusCode(200).body("data.counts.created", equalTo(100));
        }
        // More hang-ups than the database pool has connections (20): a stream that kept its session open
        // after the client left would starve the requests below.
        for (int i = 0; i < 25; i++) {
            hangUpAfterFirstBytes("/api/developer/contacts/export?format=ndjson&search=" + marker);
        }
        signed().get("/api/developer/contacts?per_page=1").then().statusCode(200);
        String all = signed().get(EXPORT + "?format=ndjson&search=" + marker).then().statusCode(200).extract().asString();
        assertThat(all.split("\n")).hasSize(3_000);
    }

    /** Sends a signed export request over a raw socket, reads the start of the answer and disconnects. */
    private static void hangUpAfterFirstBytes(String pathAndQuery) throws Exception {
        java.net.URI uri = java.net.URI.create(pathAndQuery);
        String timestamp = String.valueOf(java.time.Instant.now().getEpochSecond());
        String signature = dev.awal.contacts.support.HmacSigner.sign(dev.awal.contacts.support.Api.SECRET, "GET",
                uri.getRawPath(), uri.getRawQuery(), timestamp, new byte[0]);
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("localhost", io.restassured.RestAssured.port));
            String request = "GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\nX-Client-ID: "
                    + dev.awal.contacts.support.Api.CLIENT + "\r\nX-Domain: " + dev.awal.contacts.support.Api.WORKSPACE
                    + "\r\nX-Timestamp: " + timestamp + "\r\nX-Awal-Signature-256: sha256=" + signature + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            byte[] start = socket.getInputStream().readNBytes(8192);
            assertThat(new String(start, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void badParametersAreAnsweredInTheErrorEnvelope() {
        for (Map.Entry<String, String> bad : Map.of("format", "xml", "bom", "maybe", "sort", "phone", "contact_group_id", "x")
                .entrySet()) {
            signed().get(EXPORT + "?" + bad.getKey() + "=" + bad.getValue()).then().statusCode(400)
                    .header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"))
                    .body("error", equalTo("bad_request"))
                    .body("details." + bad.getKey(), org.hamcrest.Matchers.notNullValue());
        }
    }
}
