package dev.awal.contacts.reliability;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Bodies;
import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Text PostgreSQL cannot store — NUL, unpaired surrogates, bytes that are not UTF-8 — is refused
 * as the field's fault (422 naming it) in bodies and as a 400 naming the parameter in queries,
 * never a failed statement (500).
 */
@QuarkusTest
class UnstorableTextTest {

    private static final String CONTACTS = "/api/developer/contacts";
    private static final String GROUPS = "/api/developer/contact-groups";
    private static final String BRANCHES = "/api/developer/branches";
    /** What each collection's create needs besides the field under test. */
    private static final List<String> COLLECTIONS = List.of(CONTACTS, GROUPS, BRANCHES);

    @Test
    void nulInAnyTextFieldIsA422NamingTheFieldInJsonFormsAndMultipartOnCreateAndUpdate() {
        for (String collection : COLLECTIONS) {
            long id = create(collection);
            for (String field : textFields(collection)) {
                String bad = "a\u0000b";
                String jsonBody = "{" + required(collection, field) + "\"" + field + "\":\"a\\u0000b\"}";
                refused(json(jsonBody).post(createPath(collection)), field);
                refused(json("{\"" + field + "\":\"a\\u0000b\"}").patch(collection + "/" + id), field);

                String form = Bodies.urlencoded(requiredForm(collection, field)) + "&" + field + "=a%00b";
                refused(signed().contentType("application/x-www-form-urlencoded").body(form).post(createPath(collection)), field);
                refused(signed().contentType("application/x-www-form-urlencoded").body(field + "=a%00b")
                        .patch(collection + "/" + id), field);

                Bodies.Multipart multipart = Bodies.multipart();
                requiredForm(collection, field).forEach(multipart::field);
                multipart.field(field, bad);
                if (!collection.equals(GROUPS)) {
                    refused(signed().contentType(multipart.contentType()).body(multipart.bytes()).post(createPath(collection)), field);
                    Bodies.Multipart patch = Bodies.multipart().field(field, bad);
                    refused(signed().contentType(patch.contentType()).body(patch.bytes()).patch(collection + "/" + id), field);
                }
            }
        }
    }

    @Test
    void unpairedSurrogatesAndInvalidUtf8AreA422NamingTheField() {
        for (String collection : COLLECTIONS) {
            long id = create(collection);
            refused(json("{" + required(collection, "name") + "\"name\":\"x\\ud800y\"}").post(createPath(collection)), "name");
            refused(json("{\"name\":\"x\\udc00\"}").patch(collection + "/" + id), "name");
            // 0xC3 0x28 is not UTF-8; 0xED 0xA0 0x80 is a surrogate encoded as if it were a character.
            for (byte[] invalid : List.of(new byte[] { (byte) 0xC3, 0x28 }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                    new byte[] { (byte) 0xFF })) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                body.writeBytes(("{\"name\":\"a").getBytes(StandardCharsets.UTF_8));
                body.writeBytes(invalid);
                body.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
                refused(signed().contentType("application/json").body(body.toByteArray()).patch(collection + "/" + id), "name");
            }
            signed().get(collection + "/" + id).then().statusCode(200);
        }
    }

    /**
     * A webhook's url and description, on creation and on an edit: NUL, lone surrogates (escaped in the JSON) and
     * bytes that are not UTF-8 (an overlong "/", which Jackson alone would read as "/") are a 422 naming the field,
     * and the webhook stays as it was.
     */
    @Test
    void webhookTextThatCannotBeStoredIsA422NamingTheField() {
        String hooks = "/api/developer/webhooks";
        String url = "https://hooks.example.com/unstorable";
        long id = json("{\"url\":\"" + url + "\",\"description\":\"kept\"}").post(hooks)
                .then().statusCode(201).extract().jsonPath().getLong("data.id");
        int version = signed().get(hooks + "/" + id).then().statusCode(200).extract().jsonPath().getInt("data.version");
        for (String escaped : List.of("a\\u0000b", "x\\ud800y", "x\\udc00")) {
            refused(json("{\"url\":\"" + url + "\",\"description\":\"" + escaped + "\"}").post(hooks), "description");
            refused(json("{\"url\":\"" + url + "/" + escaped + "\"}").post(hooks), "url");
            refused(json("{\"description\":\"" + escaped + "\"}").patch(hooks + "/" + id), "description");
        }
        for (byte[] invalid : List.of(new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                new byte[] { (byte) 0xFF })) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("{\"url\":\"" + url + "\",\"description\":\"a").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(invalid);
            body.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
            refused(signed().contentType("application/json").body(body.toByteArray()).post(hooks), "description");
            ByteArrayOutputStream patch = new ByteArrayOutputStream();
            patch.writeBytes("{\"description\":\"a".getBytes(StandardCharsets.UTF_8));
            patch.writeBytes(invalid);
            patch.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
            refused(signed().contentType("application/json").body(patch.toByteArray()).patch(hooks + "/" + id), "description");
        }
        signed().get(hooks + "/" + id).then().statusCode(200).body("data.description", equalTo("kept"))
                .body("data.version", equalTo(version));
    }

    /**
     * The batch and the upsert by phone: bytes that are not UTF-8 in the body (an overlong "/", which Jackson alone
     * reads as "/") refuse the request with a 422 naming the top-level field that holds them, and nothing is written;
     * a lone surrogate escaped in one batch item fails that item alone (422 naming its field), the others are written.
     */
    @Test
    void batchAndUpsertByPhoneRefuseTextThatCannotBeStored() {
        String batch = "/api/developer/contacts/batch?phone_number_id=1";
        for (byte[] invalid : List.of(new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 },
                new byte[] { (byte) 0xFF })) {
            String phone = TestData.uniquePhone();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("{\"contacts\":[{\"phone\":\"+" + phone + "\",\"name\":\"a").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(invalid);
            body.writeBytes("b\"}]}".getBytes(StandardCharsets.UTF_8));
            refused(signed().contentType("application/json").body(body.toByteArray()).post(batch), "contacts");
            signed().get(CONTACTS + "/by-phone/" + phone).then().statusCode(404);

            String upserted = TestData.uniquePhone();
            ByteArrayOutputStream put = new ByteArrayOutputStream();
            put.writeBytes("{\"name\":\"a".getBytes(StandardCharsets.UTF_8));
            put.writeBytes(invalid);
            put.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
            refused(signed().contentType("application/json").body(put.toByteArray())
                    .put(CONTACTS + "/by-phone/" + upserted + "?phone_number_id=1"), "name");
            signed().get(CONTACTS + "/by-phone/" + upserted).then().statusCode(404);
        }
        for (String escaped : List.of("x\\ud800y", "x\\udc00", "a\\u0000b")) {
            String bad = TestData.uniquePhone();
            String good = TestData.uniquePhone();
            json("{\"contacts\":[{\"phone\":\"+" + bad + "\",\"name\":\"" + escaped + "\"},{\"phone\":\"+" + good
                    + "\",\"name\":\"Kept\"}]}").post(batch).then().statusCode(200)
                    .body("data.results[0].status", equalTo(422))
                    .body("data.results[0].error.details.name",
                            equalTo("contains a character that cannot be stored (NUL, or text that is not valid UTF-8)"))
                    .body("data.results[1].status", equalTo(201));
            signed().get(CONTACTS + "/by-phone/" + bad).then().statusCode(404);
            signed().get(CONTACTS + "/by-phone/" + good).then().statusCode(200).body("data.name", equalTo("Kept"));
            refused(json("{\"name\":\"" + escaped + "\"}").put(CONTACTS + "/by-phone/" + bad + "?phone_number_id=1"), "name");
            signed().get(CONTACTS + "/by-phone/" + bad).then().statusCode(404);
        }
    }

    @Test
    void nulInASearchIsA400NamingTheParameter() {
        for (String collection : COLLECTIONS) {
            for (String term : List.of("a%00b", "%00", "x%ED%A0%80")) {
                String path = collection + "?search=" + term;
                ValidatableResponse response = Api.signed().urlEncodingEnabled(false).get(path).then();
                // Bytes that are not UTF-8 reach us decoded to U+FFFD, which is refused like NUL.
                response.statusCode(400).body("error", equalTo("bad_request")).body("details.search", notNullValue());
            }
        }
    }

    @Test
    void forgedCursorsCarryingUnstorableTextOrImpossibleTimesAre400() {
        for (String[] forged : List.of(new String[] { "name", "a\u0000b" },
                new String[] { "-created_at", "9223372036854775807" }, new String[] { "created_at", "-99999999999999" },
                new String[] { "-updated_at", "253402300800000" })) {
            String cursor = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((forged[0] + "\n" + forged[1] + "\n5").getBytes(StandardCharsets.UTF_8));
            signed().get(CONTACTS + "?sort=" + forged[0] + "&cursor=" + cursor).then().statusCode(400)
                    .body("error", equalTo("bad_request")).body("details.cursor", notNullValue());
        }
    }

    @Test
    void aWrongJsonTypeIsAlways400AndAWrongValueOfTheRightType422() {
        String create = createPath(CONTACTS);
        for (String wrongType : List.of("\"branch_id\":\"abc\"", "\"contact_group_id\":1.5", "\"is_favorite\":\"maybe\"",
                "\"is_favorite\":2", "\"contact_group_id\":true", "\"name\":123", "\"email\":[]")) {
            String field = wrongType.substring(1, wrongType.indexOf('"', 1));
            json("{" + required(CONTACTS, field) + wrongType + "}").post(create).then().statusCode(400)
                    .body("error", equalTo("bad_request")).body("details." + field, notNullValue());
        }
        for (String wrongValue : List.of("\"branch_id\":-1", "\"contact_group_id\":99999999999999999999999",
                "\"contact_group_id\":0")) {
            String field = wrongValue.substring(1, wrongValue.indexOf('"', 1));
            json("{" + required(CONTACTS, field) + wrongValue + "}").post(create).then().statusCode(422)
                    .body("error", equalTo("validation_failed")).body("details." + field, notNullValue());
        }
        json("{\"name\":\"Status " + TestData.uniquePhone() + "\",\"status\":\"abc\"}").post(GROUPS).then().statusCode(400)
                .body("details.status", notNullValue());
        json("{\"name\":\"Status " + TestData.uniquePhone() + "\",\"status\":\"1\"}").post(GROUPS).then().statusCode(400);
        json("{\"name\":\"Status " + TestData.uniquePhone() + "\",\"status\":7}").post(GROUPS).then().statusCode(422)
                .body("details.status", notNullValue());
        json("{\"name\":\"Typed\",\"contact_group_id\":\"abc\"}").post(createPath(BRANCHES)).then().statusCode(400)
                .body("details.contact_group_id", notNullValue());
        // The documented ways to unlink still work in JSON: null and the empty string.
        long contact = create(CONTACTS);
        json("{\"contact_group_id\":\"\",\"branch_id\":null}").patch(CONTACTS + "/" + contact).then().statusCode(200);
    }

    private static void refused(io.restassured.response.Response response, String field) {
        response.then().statusCode(422).body("error", equalTo("validation_failed"))
                .body("details." + field, equalTo("contains a character that cannot be stored (NUL, or text that is not valid UTF-8)"));
    }

    private static List<String> textFields(String collection) {
        return switch (collection) {
            case CONTACTS -> List.of("name", "full_name", "phone", "email", "description", "address");
            case GROUPS -> List.of("name");
            default -> List.of("name", "full_name", "phone", "email", "description", "address", "branch_id");
        };
    }

    /** The other required fields of a create, as JSON members followed by a comma. */
    private static String required(String collection, String except) {
        StringBuilder members = new StringBuilder();
        requiredForm(collection, except).forEach((name, value) -> members.append('"').append(name).append("\":\"")
                .append(value).append("\","));
        return members.toString();
    }

    private static java.util.Map<String, String> requiredForm(String collection, String except) {
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        if (!except.equals("name")) {
            fields.put("name", "Unstorable " + TestData.uniquePhone());
        }
        if (collection.equals(CONTACTS) && !except.equals("phone")) {
            fields.put("phone", "+" + TestData.uniquePhone());
        }
        return fields;
    }

    private static String createPath(String collection) {
        return collection.equals(GROUPS) ? collection : collection + "?phone_number_id=1";
    }

    private static long create(String collection) {
        return json("{" + required(collection, "").replaceAll(",$", "") + "}").post(createPath(collection))
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
    }
}
