package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.IMPORTS;
import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.errors;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.bulk.ImportSupport.upload;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import java.util.Random;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** Files that are not clean CSV: refused at upload with a reason when unreadable, a failed row when one row is bad. */
@QuarkusTest
class ImportMalformedTest {

    private static final String BY_PHONE = "/api/developer/contacts/by-phone/";

    @Inject
    ImportWorker worker;

    @Test
    void unreadableFilesAreRefusedWithAReasonAndNoJob() {
        upload(WORKSPACE, "", "name,phone\n\"Never closed," + TestData.uniquePhone() + "\nNext," + TestData.uniquePhone() + "\n")
                .then().statusCode(422).body("error", equalTo("validation_failed"))
                .body("details.file", equalTo("Row 2 has a quoted value that is never closed (unbalanced quotes)"));
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        upload(WORKSPACE, "", garbage).then().statusCode(422).body("details.file", equalTo("The file is not UTF-8 text"));
        byte[] latin1 = "name,phone\nJos\u00e9,966501234567\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        upload(WORKSPACE, "", latin1).then().statusCode(422).body("details.file", equalTo("The file is not UTF-8 text"));
        upload(WORKSPACE, "", new byte[0]).then().statusCode(422).body("details.file", equalTo("is empty"));
        upload(WORKSPACE, "", "full_name,mobile\nA,966501234567\n").then().statusCode(422)
                .body("details.file", equalTo("The header row must name a phone and a name column (found full_name, mobile)"));
        String hugeCell = "x".repeat(5 * 1024 * 1024);
        upload(WORKSPACE, "", "name,phone,description\nBig," + TestData.uniquePhone() + "," + hugeCell + "\n").then().statusCode(422)
                .body("details.file", equalTo("Row 2 has a cell longer than 4194304 characters"));
        signed().contentType("application/json").body("{}").post(IMPORTS + "?phone_number_id=1").then().statusCode(415);
        Bodies.Multipart noFile = Bodies.multipart().field("phone_number_id", "1");
        signed().contentType(noFile.contentType()).body(noFile.bytes()).post(IMPORTS).then().statusCode(422)
                .body("details.file", startsWith("The file is required"));
        upload(WORKSPACE, "&default_region=XX", "name,phone\n").then().statusCode(400)
                .body("details.default_region", equalTo("must be an ISO 3166 alpha-2 region code, e.g. SA"));
        signed().contentType("text/csv").body("name,phone\n").post(IMPORTS).then().statusCode(422)
                .body("details.phone_number_id", equalTo("The phone_number_id query parameter is required"));
    }

    @Test
    void aHeaderOnlyFileCompletesWithNothingToDo() {
        int id = accepted(WORKSPACE, "", "Name,Phone\r\n");
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.total_rows", equalTo(0))
                .body("data.counts.rows_read", equalTo(0)).body("data.progress", equalTo(100));
    }

    /**
     * The job keeps its header (for the error report) and its unknown column names (in every read of the job): a
     * header row of megabytes was kept whole. A header past 1 MiB is refused at upload; a long unknown name is cut.
     */
    @Test
    void aHugeHeaderIsRefusedAndLongUnknownNamesAreCut() {
        upload(WORKSPACE, "", "name,phone," + "h".repeat(1024 * 1024) + "\nA," + TestData.uniquePhone() + ",x\n")
                .then().statusCode(422).body("details.file", equalTo("The header row is longer than 1048576 characters"));
        String longName = "ن".repeat(5000);
        int id = accepted(WORKSPACE, "", "name,phone," + longName + "\nA," + TestData.uniquePhone() + ",x\n");
        String reported = job(WORKSPACE, id).body("data.unknown_columns", hasSize(1)).extract().path("data.unknown_columns[0]");
        assertThat(reported).isEqualTo("ن".repeat(99) + "…");
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.counts.created", equalTo(1));
    }

    @Test
    void aVeryWideHeaderIsReportedOnceAndTheRowsStillImport() {
        StringBuilder header = new StringBuilder("name,phone");
        StringBuilder row = new StringBuilder("Wide," + TestData.uniquePhone());
        for (int i = 0; i < 10_000; i++) {
            header.append(",extra").append(i);
            row.append(",v");
        }
        String phone = row.substring(5, 17);
        int id = upload(WORKSPACE, "", header + "\n" + row + "\n").then().statusCode(202)
                .body("data.unknown_columns", hasSize(100)).body("data.unknown_columns[0]", equalTo("extra0"))
                .extract().path("data.id");
        worker.drain();
        job(WORKSPACE, id).body("data.counts.created", equalTo(1)).body("data.counts.failed", equalTo(0));
        signed().get(BY_PHONE + phone).then().statusCode(200).body("data.name", equalTo("Wide"));
    }

    @Test
    void aTooLongCellOrRowFailsThatRowAlone() {
        String megabyte = TestData.uniquePhone();
        String tooLongField = TestData.uniquePhone();
        String wide = TestData.uniquePhone();
        String fine = TestData.uniquePhone();
        String csv = "name,phone,description,address,full_name\n"
                + "Megabyte," + megabyte + "," + "d".repeat(1_000_000) + ",,\n"
                + "Long description," + tooLongField + "," + "d".repeat(2001) + ",,\n"
                + "Wide row," + wide + "," + "d".repeat(30_000) + "," + "a".repeat(30_000) + "," + "f".repeat(6000) + "\n"
                + "Fine," + fine + ",ok,,\n";
        int id = accepted(WORKSPACE, "", csv);
        worker.drain();
        job(WORKSPACE, id).body("data.counts.failed", equalTo(3)).body("data.counts.created", equalTo(1));
        String report = errors(WORKSPACE, id);
        assertThat(report).contains("\"2\",\"\",\"the row is longer than 65536 characters\"\r\n");
        assertThat(report).contains("\"3\",\"description\",\"may not be longer than 2000 characters\",\"Long description\"");
        assertThat(report).contains("\"4\",\"\",\"the row is longer than 65536 characters\"\r\n");
        signed().get(BY_PHONE + fine).then().statusCode(200).body("data.description", equalTo("ok"));
        signed().get(BY_PHONE + megabyte).then().statusCode(404);
    }

    @Test
    void aMultipartFileTakesItsOptionsFromFormFields() {
        String phone = TestData.uniquePhone();
        Bodies.Multipart body = Bodies.multipart().field("phone_number_id", "77").field("default_region", "SA")
                .field("on_duplicate", "skip")
                .file("file", "contacts.csv", "text/csv", ("name,phone\nLocal,0" + phone.substring(3) + "\n").getBytes());
        int id = signed().contentType(body.contentType()).body(body.bytes()).post(IMPORTS).then().statusCode(202)
                .body("data.file_name", equalTo("contacts.csv")).body("data.options.phone_number_id", equalTo("77"))
                .body("data.options.on_duplicate", equalTo("skip")).extract().path("data.id");
        worker.drain();
        job(WORKSPACE, id).body("data.counts.created", equalTo(1));
        signed().get(BY_PHONE + phone).then().statusCode(200).body("data.phone_number_id", equalTo("77"));
    }
}
