package dev.awal.contacts.contact;

import static dev.awal.contacts.support.Api.OTHER_WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import javax.imageio.ImageIO;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * {@link ContactReadRoute} answers get-by-id without Quarkus REST; {@link ContactResource#get} is the
 * documented operation it stands in for. Every case is asked of both, one right after the other, and the
 * answers must agree in status, headers and body bytes — the cases the route answers itself and those it
 * hands on alike.
 */
@QuarkusTest
class ContactReadRouteTest {

    private static final String CONTACTS = "/api/developer/contacts";
    /** Headers that change from one request to the next whoever answers: the count left, the clock. */
    private static final Set<String> PER_REQUEST = Set.of("x-ratelimit-remaining", "x-ratelimit-reset", "date");

    @Inject
    ContactReadRoute route;

    @AfterEach
    void backOn() {
        route.enabled(true);
    }

    @Test
    void theRouteAnswersEveryCaseAsTheResourceDoes() throws IOException {
        String run = Long.toString(System.nanoTime(), 36);
        String tier = "tier_" + run;
        json("{\"key\":\"" + tier + "\",\"label\":\"Tier\",\"type\":\"text\"}").post("/api/developer/contact-attributes")
                .then().statusCode(201);
        int id = json("{\"name\":\"قارئ \\\"Route\\\"\",\"phone\":\"+" + TestData.uniquePhone()
                + "\",\"email\":\"route@example.com\",\"description\":\"Line one\\nline two\",\"is_favorite\":true,"
                + "\"custom_attributes\":{\"" + tier + "\":\"ذهبي\"}}")
                .post(CONTACTS + "?phone_number_id=109876543210").then().statusCode(201).extract().path("data.id");
        int plain = json("{\"name\":\"Plain " + run + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post(CONTACTS + "?phone_number_id=109876543210").then().statusCode(201).extract().path("data.id");
        String path = CONTACTS + "/" + id;
        String etag = signed().contentType("image/jpeg").body(jpeg()).put(path + "/avatar").then().statusCode(200)
                .extract().header("ETag");

        Map<String, Function<RequestSpecification, Response>> cases = new LinkedHashMap<>();
        cases.put("200 with avatar and attributes", r -> r.get(path));
        cases.put("200 without optional fields", r -> r.get(CONTACTS + "/" + plain));
        cases.put("200, Accept: application/json", r -> r.accept("application/json").get(path));
        cases.put("401 unsigned", r -> r.noFilters().get(path));
        cases.put("304 on the current ETag", r -> r.header("If-None-Match", etag).get(path));
        // If-None-Match compares weakly (RFC 9110): a proxy that compresses marks the ETag weak; a list or * matches too.
        cases.put("304 on the weak form of the current ETag", r -> r.header("If-None-Match", "W/" + etag).get(path));
        cases.put("304 on a list naming the current ETag", r -> r.header("If-None-Match", "\"0\", " + etag).get(path));
        cases.put("304 on *", r -> r.header("If-None-Match", "*").get(path));
        cases.put("200 on another ETag", r -> r.header("If-None-Match", "\"0\"").get(path));
        cases.put("404 in another workspace", r -> r.get(path));
        cases.put("404 for an id no contact has", r -> r.get(CONTACTS + "/999999999999999999"));
        cases.put("404 for an id of 19 digits", r -> r.get(CONTACTS + "/1234567890123456789"));
        cases.put("404 for an id that is no number", r -> r.get(CONTACTS + "/abc"));
        cases.put("400 for Accept: text/html", r -> r.accept("text/html").get(path));
        cases.put("400 for a repeated query parameter", r -> r.get(path + "?x=1&x=2"));
        cases.put("200 with a query parameter", r -> r.get(path + "?x=1"));
        cases.put("HEAD", r -> r.head(path));

        for (Map.Entry<String, Function<RequestSpecification, Response>> each : cases.entrySet()) {
            String name = each.getKey();
            Function<RequestSpecification, RequestSpecification> who = name.startsWith("404 in another")
                    ? r -> inWorkspace(OTHER_WORKSPACE) : r -> r;
            route.enabled(true);
            Response fast = each.getValue().apply(who.apply(signed()).header("X-Request-ID", "route-" + run));
            route.enabled(false);
            Response resource = each.getValue().apply(who.apply(signed()).header("X-Request-ID", "route-" + run));
            assertThat(fast.statusCode()).as(name).isEqualTo(resource.statusCode());
            if (name.startsWith("304")) {
                assertThat(fast.statusCode()).as(name).isEqualTo(304);
            }
            assertThat(headers(fast)).as(name).isEqualTo(headers(resource));
            assertThat(fast.asByteArray()).as(name).isEqualTo(resource.asByteArray());
        }
        route.enabled(true);
        assertThat(signed().get(path).statusCode()).isEqualTo(200);
    }

    /** Name (lower case) to values, in the order sent, without those that differ per request. */
    private static Map<String, List<String>> headers(Response response) {
        Map<String, List<String>> headers = new java.util.TreeMap<>();
        response.getHeaders().forEach(h -> {
            String name = h.getName().toLowerCase(Locale.ROOT);
            if (!PER_REQUEST.contains(name)) {
                headers.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(h.getValue());
            }
        });
        return headers;
    }

    private static byte[] jpeg() throws IOException {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 4, 0x336699);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
