package dev.awal.contacts.bulk;

import static dev.awal.contacts.support.Api.inWorkspace;

import java.nio.charset.StandardCharsets;

import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;

/** Uploading import files and reading their jobs, signed as a client would. */
final class ImportSupport {

    static final String IMPORTS = "/api/developer/contacts/imports";

    private ImportSupport() {
    }

    static Response upload(String workspace, String query, byte[] csv) {
        return inWorkspace(workspace).contentType("text/csv").body(csv).post(IMPORTS + "?phone_number_id=1" + query);
    }

    static Response upload(String workspace, String query, String csv) {
        return upload(workspace, query, csv.getBytes(StandardCharsets.UTF_8));
    }

    /** Uploads a file that must be accepted; answers the job id. */
    static int accepted(String workspace, String query, String csv) {
        return upload(workspace, query, csv).then().statusCode(202).extract().path("data.id");
    }

    static ValidatableResponse job(String workspace, int id) {
        return inWorkspace(workspace).get(IMPORTS + "/" + id).then().statusCode(200);
    }

    /** The error report, asked for with the Accept a generated okhttp client sends (the JSON of the error answers). */
    static String errors(String workspace, int id) {
        return inWorkspace(workspace).accept("application/json").get(IMPORTS + "/" + id + "/errors").then().statusCode(200)
                .contentType("text/csv").extract().asString();
    }
}
