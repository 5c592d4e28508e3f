package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.IMPORTS;
import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.errors;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.bulk.ImportSupport.upload;
import static dev.awal.contacts.support.Api.OTHER_WORKSPACE;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportJob;
import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** Import jobs end to end: upload, the worker's batches, the job's counts and its report, options, cancel, tenancy. */
@QuarkusTest
class ImportJobTest {

    private static final String BY_PHONE = "/api/developer/contacts/by-phone/";

    @Inject
    ImportWorker worker;

    @Test
    void importsRowsByTheApisRulesAndReportsTheBadOnes() {
        String a = TestData.uniquePhone();
        String b = TestData.uniquePhone();
        String c = TestData.uniquePhone();
        String national = TestData.uniquePhone();
        String csv = "\uFEFF Full Name ,NAME,Phone,e-mail,Is Favorite,notes\r\n"
                + "Ahmad Ali,أحمد,+" + a + ",ahmed@example.com,true,x\r\n"
                + ",Bad phone,12,,,\r\n"
                + ",Bad email,+" + b + ",not-an-email,,\r\n"
                + ",\"Quoted, \"\"with\"\" comma\nand newline\",+" + c + ",,false,\r\n"
                + ",First,0" + national.substring(3) + ",,,\r\n"
                + ",Later wins,+" + a + ",,,\r\n";
        io.restassured.response.ExtractableResponse<io.restassured.response.Response> created = upload(WORKSPACE,
                "&default_region=sa", csv).then().statusCode(202)
                .body("data.status", equalTo("queued")).body("data.counts.total_rows", equalTo(6))
                .body("data.unknown_columns", contains("e-mail", "notes"))
                .body("data.options.default_region", equalTo("SA")).body("data.options.on_duplicate", equalTo("update"))
                .extract();
        int id = created.path("data.id");
        assertThat(created.header("Location")).endsWith(IMPORTS + "/" + id);
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.progress", equalTo(100))
                .body("data.counts.rows_read", equalTo(6)).body("data.counts.created", equalTo(4))
                .body("data.counts.skipped", equalTo(1)).body("data.counts.failed", equalTo(1))
                .body("data.counts.duplicates_in_file", equalTo(1)).body("data.failure", nullValue());
        signed().get(BY_PHONE + a).then().statusCode(200).body("data.name", equalTo("Later wins"))
                .body("data.full_name", nullValue());
        signed().get(BY_PHONE + c).then().statusCode(200).body("data.name", equalTo("Quoted, \"with\" comma\nand newline"));
        signed().get(BY_PHONE + national).then().statusCode(200).body("data.name", equalTo("First"));
        // e-mail is not a known column, so the bad email row is fine and b exists.
        signed().get(BY_PHONE + b).then().statusCode(200);
        String report = errors(WORKSPACE, id);
        assertThat(report).startsWith("\"row\",\"column\",\"reason\",\"Full Name \",\"NAME\",\"Phone\",\"e-mail\",\"Is Favorite\",\"notes\"\r\n");
        assertThat(report).contains("\"2\",\"Phone\",\"same phone as row 7, which replaces this row\",\"Ahmad Ali\",\"أحمد\"");
        assertThat(report).contains("\"3\",\"Phone\",\"must be a valid international number");
        assertThat(report.split("\r\n")).hasSize(3);
    }
}
