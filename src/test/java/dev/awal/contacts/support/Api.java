package dev.awal.contacts.support;

import static io.restassured.RestAssured.given;

import dev.awal.contacts.api.OpenApiResponseValidation;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.specification.RequestSpecification;

/**
 * Entry points for signed requests in tests. The clients are the test profile's (application.properties).
 * Every response is also validated against the OpenAPI document ({@link OpenApiResponseValidation}).
 */
public final class Api {

    public static final String CLIENT = "test-client";
    public static final String SECRET = "test-secret";
    public static final String WORKSPACE = "alpha";
    public static final String OTHER_WORKSPACE = "beta";

    /** Bodies are sent byte for byte as given: no charset appended, nothing re-encoded. */
    private static final RestAssuredConfig RAW = RestAssuredConfig.config().encoderConfig(
            EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false));

    private Api() {
    }

    /** A request signed by the test client in workspace alpha. */
    public static RequestSpecification signed() {
        return as(CLIENT, SECRET, WORKSPACE);
    }

    public static RequestSpecification inWorkspace(String workspace) {
        return as(CLIENT, SECRET, workspace);
    }

    public static RequestSpecification as(String clientId, String secret, String workspace) {
        return signedAt(clientId, secret, workspace, 0);
    }

    /** Signed with a timestamp shifted from now, to test the window. */
    public static RequestSpecification signedAt(String clientId, String secret, String workspace, long offsetSeconds) {
        return given().config(RAW).filter(new HmacSigner(clientId, secret, workspace, offsetSeconds))
                .filter(OpenApiResponseValidation.filter());
    }

    /** A JSON body, signed as sent. */
    public static RequestSpecification json(String body) {
        return signed().contentType("application/json").body(body);
    }
}
