package dev.awal.contacts.attributes;

import static dev.awal.contacts.support.Api.json;

import java.util.concurrent.atomic.AtomicInteger;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.restassured.response.ValidatableResponse;

/** Helpers of the attribute tests: unique keys, definitions and contacts. */
final class Attrs {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

    private Attrs() {
    }

    static String key(String base) {
        return base + "_" + RUN + "_" + SEQUENCE.incrementAndGet();
    }

    static long define(String workspace, String body) {
        return Api.inWorkspace(workspace).contentType("application/json").body(body).post("/api/developer/contact-attributes")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
    }

    static long define(String body) {
        return define(Api.WORKSPACE, body);
    }

    static ValidatableResponse createContact(String attributesJson) {
        return json("{\"name\":\"Attr " + SEQUENCE.incrementAndGet() + "\",\"phone\":\"+" + TestData.uniquePhone()
                + "\",\"custom_attributes\":" + attributesJson + "}").post("/api/developer/contacts?phone_number_id=109876543210")
                .then();
    }

    /** GET /contacts with a query of name=value pairs, percent-encoded and signed as sent. */
    static ValidatableResponse list(String... pairs) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            query.append(query.isEmpty() ? "" : "&").append(encode(pairs[i])).append('=').append(encode(pairs[i + 1]));
        }
        return Api.signed().urlEncodingEnabled(false).get("/api/developer/contacts?" + query).then();
    }

    static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String form(String... pairs) {
        StringBuilder form = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            form.append(form.isEmpty() ? "" : "&").append(encode(pairs[i])).append('=').append(encode(pairs[i + 1]));
        }
        return form.toString();
    }

    static long contact(String attributesJson) {
        return createContact(attributesJson).statusCode(201).extract().<Number>path("data.id").longValue();
    }
}
