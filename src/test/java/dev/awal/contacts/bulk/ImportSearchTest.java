package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Imported contacts are found by search at once: the trigram indexes take an import's entries through their
 * pending list (V19), some merged into the index by the time the job ends and the last ones still pending, and a
 * search reads both.
 */
@QuarkusTest
class ImportSearchTest {

    private static final int ROWS = 230;

    @Inject
    ImportWorker worker;

    private static String letters(long value) {
        StringBuilder letters = new StringBuilder();
        for (long rest = Math.abs(value); rest > 0; rest /= 26) {
            letters.append((char) ('a' + rest % 26));
        }
        return letters.toString();
    }

    @Test
    void everyImportedContactIsFoundByNameEmailAndPhoneDigits() {
        worker.drain();
        // Letters only: a search term's digits also match phones.
        String marker = "Imsrch" + letters(System.nanoTime());
        String needle = "Needle" + letters(System.nanoTime() + 1);
        List<String> phones = new ArrayList<>();
        StringBuilder csv = new StringBuilder("name,full_name,phone,email\n");
        for (int i = 0; i < ROWS; i++) {
            String phone = TestData.uniquePhone();
            phones.add(phone);
            // Every tenth row also carries a rarer word in its full name; Arabic and Latin alternate.
            csv.append(i % 2 == 0 ? "سلمى " : "Salma ").append(marker).append(' ').append(i).append(',')
                    .append(i % 10 == 0 ? needle : "").append(",+").append(phone).append(',')
                    .append(marker.toLowerCase()).append('.').append(letters(i + 1)).append("@example.com\n");
        }
        int id = accepted(WORKSPACE, "", csv.toString());
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(ROWS));

        // The list's search (the index pattern and the exact filter), by a word of the name and of the full name.
        List<String> needles = signed().get("/api/developer/contacts?per_page=100&search=" + needle).then().statusCode(200)
                .extract().path("data.phone");
        assertThat(needles).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, ROWS).filter(i -> i % 10 == 0).mapToObj(phones::get).toList());
        // Folded Arabic (ى read as ي) followed by the marker: the Arabic half of the rows (through the export's search).
        String arabic = signed().get("/api/developer/contacts/export?format=ndjson&search=سلمي " + marker).then().statusCode(200)
                .extract().asString();
        assertThat(arabic.split("\n")).hasSize(ROWS / 2);
        assertThat(arabic).contains("\"" + phones.get(22) + "\"").doesNotContain("\"" + phones.get(23) + "\"");
        // The export's search, over every row: the first rows' entries were merged long ago, the last ones may be pending.
        String exported = signed().get("/api/developer/contacts/export?format=ndjson&search=" + marker).then().statusCode(200)
                .extract().asString();
        assertThat(exported.split("\n")).hasSize(ROWS);
        // By e-mail, and by the digits of a phone (the phone's own trigram index).
        assertThat(signed().get("/api/developer/contacts?search=" + marker.toLowerCase() + "." + letters(230) + "@").then().statusCode(200)
                .extract().<List<String>>path("data.phone")).containsExactly(phones.get(229));
        String last = phones.get(ROWS - 1);
        assertThat(signed().get("/api/developer/contacts?search=" + last).then().statusCode(200)
                .extract().<List<String>>path("data.phone")).containsExactly(last);
    }
}
