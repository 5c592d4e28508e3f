package dev.awal.contacts.media;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The avatar endpoints and the file fields are in the OpenAPI document, with their request bodies. */
@QuarkusTest
class MediaOpenApiTest {

    @Test
    void avatarEndpointsAndFileFieldsAreDocumented() {
        given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/developer/contacts/{id}/avatar'.put.operationId", equalTo("replaceContactAvatar"))
                .body("paths.'/api/developer/contacts/{id}/avatar'.put.requestBody.content", hasKey("image/jpeg"))
                .body("paths.'/api/developer/contacts/{id}/avatar'.put.requestBody.content", hasKey("image/png"))
                .body("paths.'/api/developer/contacts/{id}/avatar'.put.requestBody.content.'image/png'.schema.format",
                        equalTo("binary"))
                .body("paths.'/api/developer/contacts/{id}/avatar'.put.responses.keySet()",
                        hasItems("200", "404", "413", "415", "422", "503"))
                .body("paths.'/api/developer/contacts/{id}/avatar'.delete.operationId", equalTo("deleteContactAvatar"))
                .body("paths.'/api/developer/contacts/{id}/avatar'.delete", org.hamcrest.Matchers.not(hasKey("requestBody")))
                .body("paths.'/api/developer/contacts'.get", org.hamcrest.Matchers.not(hasKey("requestBody")))
                .body("paths.'/api/developer/contacts'.post.requestBody.content.'multipart/form-data'.schema.'$ref'",
                        equalTo("#/components/schemas/ContactCreate"))
                .body("components.schemas.ContactCreate.properties.file.format", equalTo("binary"))
                .body("components.schemas.ContactUpdate.properties.file.format", equalTo("binary"))
                .body("components.schemas.BranchWrite.properties.file.format", equalTo("binary"))
                .body("components.schemas.ContactCreate.properties", hasKey("avatar"));
    }
}
