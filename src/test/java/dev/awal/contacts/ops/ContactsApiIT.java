package dev.awal.contacts.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.observability.AccessLog;
import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.PackagedAppConfig;
import dev.awal.contacts.support.StandalonePostgres;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.specification.RequestSpecification;

/**
 * The packaged artifact (the JVM jar here; the native binary under -Dnative, unchanged) in its
 * production profile, against a real PostgreSQL, called like a client calls it.
 */
@QuarkusIntegrationTest
@WithTestResource(StandalonePostgres.class)
@WithTestResource(PackagedAppConfig.class)
class ContactsApiIT {

    /** Where the integration-test launcher writes the packaged application's output. */
    private static final Path LOG = Path.of("target", "quarkus.log");

    private static RequestSpecification signed() {
        return Api.as(PackagedAppConfig.CLIENT, PackagedAppConfig.secret(), PackagedAppConfig.WORKSPACE);
    }

    @Test
    void createsListsAndReadsAContact() {
        String phone = TestData.uniquePhone();
        long id = signed().contentType("application/json")
                .body("{\"name\":\"Packaged\",\"phone\":\"+" + phone + "\",\"email\":\"packaged@example.com\"}")
                .post("/api/developer/contacts?phone_number_id=42")
                .then().statusCode(201)
                .header("Location", matchesPattern(".*/api/developer/contacts/\\d+"))
                .header("X-Request-ID", notNullValue())
                .header("X-API-Version", "v1")
                .body("status", equalTo(true))
                .body("data.phone", equalTo(phone))
                .body("data.full_name", nullValue())
                .extract().jsonPath().getLong("data.id");

        signed().get("/api/developer/contacts?search=Packaged").then().statusCode(200)
                .body("status", equalTo(true))
                .body("data.id", hasItem((int) id))
                .body("meta.page", equalTo(1));

        signed().get("/api/developer/contacts/" + id).then().statusCode(200)
                .header("ETag", notNullValue())
                .body("data.email", equalTo("packaged@example.com"));
    }

    @Test
    void storesAndServesAnAvatar() throws Exception {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", png);
        Bodies.Multipart form = Bodies.multipart().field("name", "Avatar").field("phone", "+" + TestData.uniquePhone())
                .file("file", "me.png", "image/png", png.toByteArray());
        String avatar = signed().contentType(form.contentType()).body(form.bytes())
                .post("/api/developer/contacts?phone_number_id=42")
                .then().statusCode(201).extract().jsonPath().getString("data.avatar");

        given().get(URI.create(avatar).getPath()).then().statusCode(200)
                .contentType("image/png")
                .header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void errorsUseTheEnvelope() {
        signed().get("/api/developer/contacts/987654321").then().statusCode(404)
                .body("status", equalTo(false))
                .body("error", equalTo("resource_not_found"))
                .body("request_id", notNullValue());

        given().get("/api/developer/contacts").then().statusCode(401)
                .body("error", equalTo("missing_headers"))
                .body("details.X-Client-ID", notNullValue());

        signed().contentType("application/json").body("{\"name\":")
                .post("/api/developer/contacts?phone_number_id=42").then().statusCode(400)
                .body("error", equalTo("bad_request"));

        given().get("/no/such/route").then().statusCode(404)
                .body("error", equalTo("resource_not_found"))
                .body("message", containsString("No route"));
    }

    @Test
    void logsAreJsonWithOneAccessLineCarryingTheRequestFields() throws Exception {
        String requestId = "it-" + UUID.randomUUID();
        signed().header("X-Request-ID", requestId).get("/api/developer/contacts").then().statusCode(200);

        JsonNode line = awaitAccessLine(requestId);
        JsonNode mdc = line.path("mdc");
        assertEquals("GET", mdc.path("method").asText());
        assertEquals("/api/developer/contacts", mdc.path("route").asText());
        assertEquals("200", mdc.path("status").asText());
        assertTrue(mdc.path("duration_ms").asDouble(-1) >= 0);
        String log = Files.readString(LOG);
        assertFalse(log.contains(PackagedAppConfig.secret()), "the client secret is never logged");
        assertFalse(log.contains("sha256="), "signatures are never logged");
    }

    /** Waits for the request's access line in the packaged application's output; every line must be JSON. */
    private static JsonNode awaitAccessLine(String requestId) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            List<JsonNode> found = new ArrayList<>();
            for (String text : Files.readAllLines(LOG)) {
                if (text.isBlank() || !text.startsWith("{")) {
                    continue; // the launcher's own lines before the application's first
                }
                JsonNode line = mapper.readTree(text);
                if (AccessLog.CATEGORY.equals(line.path("loggerName").asText())
                        && requestId.equals(line.path("mdc").path("request_id").asText())) {
                    found.add(line);
                }
            }
            if (!found.isEmpty()) {
                assertEquals(1, found.size(), "access lines for one request");
                return found.get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no JSON access line for " + requestId + " in " + LOG);
    }

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
        signed().get("/api/developer/contacts").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_bucket"))
                .body(containsString("uri=\"/api/developer/contacts\""));
    }
}
