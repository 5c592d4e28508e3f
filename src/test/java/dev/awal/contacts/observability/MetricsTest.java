package dev.awal.contacts.observability;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MetricsTest {

    private static final String CONTACT_ROUTE = "uri=\"/api/developer/contacts/{id}\"";

    @Test
    void httpTimingsAreHistogramsTaggedByRouteTemplateNotByPath() {
        long id = createContact();
        signed().get("/api/developer/contacts/" + id).then().statusCode(200);
        // Refused by the auth handler before any resource matched: still no raw path in the tags.
        given().get("/api/developer/contacts/" + (id + 424242)).then().statusCode(401);
        given().get("/api/developer/no-such-thing/" + id).then().statusCode(401);
        // Refused before routing: tagged REFUSED, not with the path the client made up.
        given().urlEncodingEnabled(false).get("/api/developer/contact-groups/" + (id + 9_000_000) + ";x=y").then().statusCode(400);

        PrometheusScrape scrape = PrometheusScrape.now();
        assertTrue(scrape.has("http_server_requests_seconds_bucket", "method=\"GET\"", "status=\"200\"",
                CONTACT_ROUTE, "le=\"0.1\""), "a histogram bucket for the templated route");
        assertTrue(scrape.value("http_server_requests_seconds_count", "method=\"GET\"", "status=\"200\"",
                CONTACT_ROUTE) >= 1);
        assertTrue(scrape.value("http_server_requests_seconds_count", "status=\"401\"",
                "uri=\"/api/developer/*\"") >= 2);
        assertTrue(scrape.value("http_server_requests_seconds_count", "status=\"400\"", "uri=\"REFUSED\"") >= 1);
        var rawId = Pattern.compile("uri=\"[^\"]*\\d{3,}[^\"]*\"").matcher(scrape.text());
        assertFalse(rawId.find(), () -> "no series is tagged with a raw id: " + rawId.group());
        assertThat(scrape.text(), not(containsString("no-such-thing")));
    }

    @Test
    void contactsCreatedAndDeletedAreCounted() {
        PrometheusScrape before = PrometheusScrape.now();
        long id = createContact();
        signed().delete("/api/developer/contacts/" + id).then().statusCode(200);
        signed().get("/api/developer/contacts/" + id).then().statusCode(404);
        PrometheusScrape after = PrometheusScrape.now();

        assertEquals(before.value("contacts_created_total") + 1, after.value("contacts_created_total"));
        assertEquals(before.value("contacts_deleted_total") + 1, after.value("contacts_deleted_total"));
    }

    @Test
    void authenticationFailuresAreCountedByReason() {
        PrometheusScrape before = PrometheusScrape.now();
        given().get("/api/developer/contacts").then().statusCode(401);
        Api.as(Api.CLIENT, "not-the-secret", Api.WORKSPACE).get("/api/developer/contacts").then().statusCode(401);
        Api.as("nobody", "whatever", Api.WORKSPACE).get("/api/developer/contacts").then().statusCode(401);
        Api.signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, -3600).get("/api/developer/contacts").then().statusCode(401);
        Api.inWorkspace("gamma").get("/api/developer/contacts").then().statusCode(403);
        PrometheusScrape after = PrometheusScrape.now();

        for (String reason : new String[] { "missing_headers", "bad_signature", "unknown_client", "stale_timestamp",
                "forbidden_workspace" }) {
            String label = "reason=\"" + reason + "\"";
            assertEquals(before.value("contacts_auth_failures_total", label) + 1,
                    after.value("contacts_auth_failures_total", label), reason);
        }
    }

    @Test
    void storedAvatarBytesAreCounted() throws IOException {
        PrometheusScrape before = PrometheusScrape.now();
        Bodies.Multipart form = Bodies.multipart().field("name", "Avatar bytes").field("phone", "+" + TestData.uniquePhone())
                .file("file", "avatar.png", "image/png", png());
        String avatar = signed().contentType(form.contentType()).body(form.bytes())
                .post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201).extract().jsonPath().getString("data.avatar");
        // The stored object is the metadata-stripped copy: count what the public URL serves.
        int stored = given().get(URI.create(avatar).getPath()).then().statusCode(200).extract().asByteArray().length;
        PrometheusScrape after = PrometheusScrape.now();

        assertEquals(before.value("contacts_avatar_stored_bytes_total") + stored,
                after.value("contacts_avatar_stored_bytes_total"));
    }

    @Test
    void databasePoolMetricsArePublished() {
        createContact();
        PrometheusScrape scrape = PrometheusScrape.now();
        assertTrue(scrape.has("sql_pool_usage_seconds_count", "pool_type=\"sql\""), "reactive pool usage");
        assertTrue(scrape.has("sql_pool_queue_size", "pool_type=\"sql\""), "reactive pool queue");
        assertTrue(scrape.value("sql_pool_completed_total", "pool_type=\"sql\"") >= 1, "reactive pool completions");
    }

    @Test
    void theSqlClientsPerStatementMetersAreOffByDefault() {
        createContact();
        PrometheusScrape scrape = PrometheusScrape.now();
        // contacts.metrics.sql-requests=false: the client's own meters (postgresql_*{clientType="sql"}) are denied,
        // the pool's (sql_pool_*, documented) stay.
        assertTrue(scrape.value("sql_pool_completed_total", "pool_type=\"sql\"") >= 1, "reactive pool completions");
        assertFalse(scrape.text().contains("clientType=\"sql\""), "SQL client meters published");
        assertFalse(scrape.has("postgresql_processing_seconds_count"), "SQL client timer published");
    }

    private static long createContact() {
        return json("{\"name\":\"Metric\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=1")
                .then().statusCode(201).extract().jsonPath().getLong("data.id");
    }

    private static byte[] png() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}
