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

    private static String create(String name, String phone) {
        return signed().contentType("application/json").body("{\"name\":\"" + name + "\",\"phone\":\"+" + phone + "\"}")
                .post("/api/developer/contacts?phone_number_id=1").then().statusCode(201).extract().path("data.id").toString();
    }

    @Test
    void onDuplicateDecidesForPhonesAlreadyInTheWorkspace() {
        String existing = TestData.uniquePhone();
        create("Stored", existing);
        String fresh = TestData.uniquePhone();
        String csv = "name,phone\n" + "Imported," + existing + "\n" + "Fresh," + fresh + "\n";

        int skip = accepted(WORKSPACE, "&on_duplicate=skip", csv);
        worker.drain();
        job(WORKSPACE, skip).body("data.counts.created", equalTo(1)).body("data.counts.skipped", equalTo(1));
        signed().get(BY_PHONE + existing).then().body("data.name", equalTo("Stored"));

        int error = accepted(WORKSPACE, "&on_duplicate=error", csv);
        worker.drain();
        job(WORKSPACE, error).body("data.counts.failed", equalTo(2)).body("data.counts.created", equalTo(0));
        assertThat(errors(WORKSPACE, error)).contains("\"2\",\"phone\",\"already belongs to a contact in the workspace (on_duplicate=error)\"");
        signed().get(BY_PHONE + existing).then().body("data.name", equalTo("Stored"));

        int update = accepted(WORKSPACE, "", csv);
        worker.drain();
        job(WORKSPACE, update).body("data.counts.updated", equalTo(1)).body("data.counts.unchanged", equalTo(1));
        signed().get(BY_PHONE + existing).then().body("data.name", equalTo("Imported"));

        upload(WORKSPACE, "&on_duplicate=merge", csv).then().statusCode(422).body("details.on_duplicate", equalTo("must be update, skip or error"));
    }

    @Test
    void everyContactJoinsTheGroupOfTheOption() {
        String phone = TestData.uniquePhone();
        int group = signed().contentType("application/json").body("{\"name\":\"Imported " + phone + "\"}")
                .post("/api/developer/contact-groups").then().statusCode(201).extract().path("data.id");
        int id = accepted(WORKSPACE, "&contact_group_id=" + group, "name,phone,contact_group_id\nGrouped," + phone + ",\n");
        worker.drain();
        job(WORKSPACE, id).body("data.counts.created", equalTo(1)).body("data.options.contact_group_id", equalTo(group));
        signed().get(BY_PHONE + phone).then().body("data.contact_group_id", equalTo(group));

        int foreign = inWorkspace(OTHER_WORKSPACE).contentType("application/json").body("{\"name\":\"Theirs " + phone + "\"}")
                .post("/api/developer/contact-groups").then().statusCode(201).extract().path("data.id");
        upload(WORKSPACE, "&contact_group_id=" + foreign, "name,phone\nX," + TestData.uniquePhone() + "\n").then().statusCode(422)
                .body("details.contact_group_id", equalTo("The selected contact group does not exist"));
        // A group column naming another workspace's group fails that row only.
        String other = TestData.uniquePhone();
        int row = accepted(WORKSPACE, "", "name,phone,contact_group_id\nY," + other + "," + foreign + "\nZ," + TestData.uniquePhone() + ",\n");
        worker.drain();
        job(WORKSPACE, row).body("data.counts.failed", equalTo(1)).body("data.counts.created", equalTo(1));
        assertThat(errors(WORKSPACE, row)).contains("\"2\",\"contact_group_id\",\"The selected contact group does not exist\"");
        signed().get(BY_PHONE + other).then().statusCode(404);
    }

    @Test
    void aDryRunCountsWhatWouldHappenAndChangesNothing() {
        String existing = TestData.uniquePhone();
        create("Stored", existing);
        String fresh = TestData.uniquePhone();
        int id = accepted(WORKSPACE, "&dry_run=true", "name,phone\nChanged," + existing + "\nNew," + fresh + "\nBad,12\n");
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed")).body("data.options.dry_run", equalTo(true))
                .body("data.counts.created", equalTo(1)).body("data.counts.updated", equalTo(1)).body("data.counts.failed", equalTo(1));
        signed().get(BY_PHONE + fresh).then().statusCode(404);
        signed().get(BY_PHONE + existing).then().body("data.name", equalTo("Stored"));
    }

    @Test
    void cancellingStopsAJobAndKeepsWhatWasCommitted() {
        StringBuilder csv = new StringBuilder("name,phone\n");
        List<String> phones = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            String phone = TestData.uniquePhone();
            phones.add(phone);
            csv.append("Row ").append(i).append(',').append(phone).append('\n');
        }
        worker.drain();
        int queued = accepted(WORKSPACE, "", "name,phone\nNever," + TestData.uniquePhone() + "\n");
        inWorkspace(WORKSPACE).delete(IMPORTS + "/" + queued).then().statusCode(200).body("data.status", equalTo("cancelled"))
                .body("message", equalTo("Import cancelled"));
        worker.drain();
        job(WORKSPACE, queued).body("data.status", equalTo("cancelled")).body("data.counts.rows_read", equalTo(0));

        int id = accepted(WORKSPACE, "", csv.toString());
        ImportJob claimed = worker.claim(ImportWorker.newOwner());
        assertThat(claimed.id()).isEqualTo(id);
        worker.run(claimed, 1);
        job(WORKSPACE, id).body("data.status", equalTo("running")).body("data.counts.rows_read", equalTo(100))
                .body("data.progress", equalTo(40));
        inWorkspace(WORKSPACE).delete(IMPORTS + "/" + id).then().statusCode(200).body("data.status", equalTo("cancelled"));
        worker.run(claimed, Integer.MAX_VALUE);
        job(WORKSPACE, id).body("data.status", equalTo("cancelled")).body("data.counts.rows_read", equalTo(100))
                .body("data.counts.created", equalTo(100)).body("data.finished_at", not(nullValue()));
        // The committed batch is one partition's first 100 rows (the file's rows are split by phone among the
        // writers): exactly those 100 phones have a contact, none of the other 150.
        long found = phones.stream().filter(phone -> signed().get(BY_PHONE + phone).then().extract().statusCode() == 200).count();
        assertThat(found).isEqualTo(100);
    }

    @Test
    void anotherWorkspaceSeesAndChangesNoJob() {
        int id = accepted(WORKSPACE, "", "name,phone\nMine," + TestData.uniquePhone() + "\n");
        inWorkspace(OTHER_WORKSPACE).get(IMPORTS + "/" + id).then().statusCode(404).body("error", equalTo("resource_not_found"));
        inWorkspace(OTHER_WORKSPACE).get(IMPORTS + "/" + id + "/errors").then().statusCode(404);
        // A second earlier: the signature covers no workspace, so the owner's DELETE below must not look like a replay.
        dev.awal.contacts.support.Api.signedAt(dev.awal.contacts.support.Api.CLIENT, dev.awal.contacts.support.Api.SECRET,
                OTHER_WORKSPACE, -1).delete(IMPORTS + "/" + id).then().statusCode(404);
        inWorkspace(OTHER_WORKSPACE).get(IMPORTS + "?per_page=100").then().statusCode(200).body("data.items.id", not(hasItem(id)));
        job(WORKSPACE, id).body("data.status", equalTo("queued"));
        signed().get(IMPORTS + "?per_page=1").then().statusCode(200).body("data.items.id", contains(id))
                .body("data.has_more", equalTo(true));
        signed().get(IMPORTS + "?per_page=0").then().statusCode(400).body("details.per_page", equalTo("must be between 1 and 100"));
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed"));
        inWorkspace(WORKSPACE).delete(IMPORTS + "/" + id).then().statusCode(200).body("data.status", equalTo("completed"))
                .body("message", equalTo("The import had already ended"));
    }
}
