package dev.awal.contacts.openapi;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.quarkus.arc.Arc;
import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;
import io.quarkus.smallrye.openapi.runtime.OpenApiDocumentService;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.openapi.runtime.io.Format;

/**
 * /q/openapi serves the build's stored document byte for byte (what CI lints in target/openapi), in the format
 * SmallRye's handler would choose, and it is the document SmallRye builds from it (tests do not run the packaged
 * main, so SmallRye's own copy is there to compare with).
 */
@QuarkusTest
class StoredOpenApiDocumentTest {

    private static final Path BUILD_JSON = Path.of("target/openapi/openapi.json");
    private static final Path BUILD_YAML = Path.of("target/openapi/openapi.yaml");

    private static byte[] get(String path, String accept) {
        var request = given().urlEncodingEnabled(false);
        if (accept != null) {
            request.accept(accept);
        }
        return request.get(path).then().statusCode(200).extract().asByteArray();
    }

    @Test
    void servesTheBuildsJsonAndYamlByteForByte() throws IOException {
        byte[] json = Files.readAllBytes(BUILD_JSON);
        byte[] yaml = Files.readAllBytes(BUILD_YAML);
        assertThat(get("/q/openapi?format=json", null)).isEqualTo(json);
        assertThat(get("/q/openapi?format=JSON", null)).isEqualTo(json);
        assertThat(get("/q/openapi", "application/json")).isEqualTo(json);
        assertThat(get("/q/openapi.json", null)).isEqualTo(json);
        assertThat(get("/q/openapi", null)).isEqualTo(yaml);
        assertThat(get("/q/openapi?format=yaml", "application/yaml")).isEqualTo(yaml);
        assertThat(get("/q/openapi.yaml", null)).isEqualTo(yaml);
        assertThat(get("/q/openapi.yml", "application/json")).isEqualTo(yaml);
    }

    @Test
    void contentTypesAreSmallRyes() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .header("Content-Type", equalTo("application/json;charset=UTF-8"));
        given().get("/q/openapi").then().statusCode(200)
                .header("Content-Type", equalTo("application/yaml;charset=UTF-8"));
        given().options("/q/openapi").then().header("Allow", equalTo("GET, HEAD, OPTIONS"));
    }

    @Test
    void isTheDocumentSmallRyeBuildsAtRunTime() throws IOException {
        OpenApiDocumentService smallRye = Arc.container().instance(OpenApiDocumentService.class).get();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(get("/q/openapi?format=json", null)))
                .isEqualTo(json.readTree(smallRye.getDocument(OpenApiConstants.DEFAULT_DOCUMENT_NAME, Format.JSON)));
        YAMLMapper yaml = new YAMLMapper();
        assertThat(yaml.readTree(get("/q/openapi", null)))
                .isEqualTo(yaml.readTree(smallRye.getDocument(OpenApiConstants.DEFAULT_DOCUMENT_NAME, Format.YAML)));
    }

    @Test
    void smallRyesClassLoaderDoesNotSeeTheStoredJsonButEverythingElse() throws Exception {
        ClassLoader app = Thread.currentThread().getContextClassLoader();
        assertThat(app.getResource(StoredOpenApiDocument.STORED_JSON)).isNotNull();
        ClassLoader hiding = new StoredOpenApiDocument.WithoutStoredJson(app);
        assertThat(hiding.getResource(StoredOpenApiDocument.STORED_JSON)).isNull();
        assertThat(hiding.getResourceAsStream(StoredOpenApiDocument.STORED_JSON)).isNull();
        assertThat(hiding.getResources(StoredOpenApiDocument.STORED_JSON).hasMoreElements()).isFalse();
        assertThat(hiding.getResource(StoredOpenApiDocument.STORED_YAML)).isNotNull();
        assertThat(hiding.loadClass(StoredOpenApiDocument.class.getName()))
                .isSameAs(app.loadClass(StoredOpenApiDocument.class.getName()));
    }
}
