package dev.awal.contacts.bulk;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The import endpoints are documented with operation ids, every status, and an example per documented body. */
@QuarkusTest
class ImportOpenApiTest {

    @Test
    void everyImportOperationIsDocumentedWithExamples() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        String[][] operations = {
                { "/api/developer/contacts/imports", "post", "importContacts", "202,400,413,415,422" },
                { "/api/developer/contacts/imports", "get", "listImportJobs", "200,400" },
                { "/api/developer/contacts/imports/{id}", "get", "getImportJob", "200,404" },
                { "/api/developer/contacts/imports/{id}", "delete", "cancelImportJob", "200,404" },
                { "/api/developer/contacts/imports/{id}/errors", "get", "getImportJobErrors", "200,404" } };
        for (String[] op : operations) {
            String base = "paths.'" + op[0] + "'." + op[1];
            assertThat(doc.getString(base + ".operationId")).as(base).isEqualTo(op[2]);
            assertThat(doc.getString(base + ".summary")).as(base).isNotBlank();
            assertThat(doc.getString(base + ".description")).as(base).isNotBlank();
            Map<String, Object> responses = doc.getMap(base + ".responses");
            assertThat(responses).as(base).containsKeys(op[3].split(",")).containsKeys("401", "403", "429", "500");
            for (String status : op[3].split(",")) {
                Map<String, Object> content = doc.getMap(base + ".responses.'" + status + "'.content");
                assertThat(content).as(base + " " + status).isNotEmpty();
                content.keySet().forEach(type -> assertThat(doc.getMap(base + ".responses.'" + status + "'.content.'" + type
                        + "'.examples")).as(base + " " + status + " " + type).isNotEmpty());
            }
        }
        String post = "paths.'/api/developer/contacts/imports'.post";
        assertThat(doc.getMap(post + ".requestBody.content")).containsOnlyKeys("text/csv", "application/x-ndjson");
        assertThat(doc.getString(post + ".description")).contains("multipart/form-data");
        assertThat(doc.getMap(post + ".requestBody.content.'text/csv'.examples")).isNotEmpty();
        assertThat(doc.getList(post + ".parameters.name"))
                .contains("phone_number_id", "default_region", "on_duplicate", "contact_group_id", "dry_run");
        assertThat(doc.getString(post + ".responses.'202'.headers.Location.description")).isNotBlank();
        assertThat(doc.getMap("components.schemas.ImportJobCounts.properties")).containsKeys("total_rows", "rows_read",
                "created", "updated", "unchanged", "skipped", "failed", "duplicates_in_file");
    }
}
