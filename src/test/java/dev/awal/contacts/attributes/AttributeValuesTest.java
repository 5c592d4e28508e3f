package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.createContact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** Values on contacts: validation per type, unknown keys, JSON and forms, PATCH merge and removal, events. */
@QuarkusTest
@SuppressWarnings("unchecked")
class AttributeValuesTest {

    static String text;
    static String number;
    static String flag;
    static String day;
    static String moment;
    static String tier;

    /** Once per class (RestAssured knows the port only once the application runs). */
    @BeforeEach
    void defineAttributes() {
        if (tier != null) {
            return;
        }
        text = key("city");
        number = key("orders");
        flag = key("vip");
        day = key("birthday");
        moment = key("last_seen");
        tier = key("tier");
        define("{\"key\":\"" + text + "\",\"label\":\"City\",\"type\":\"text\",\"max_length\":10}");
        define("{\"key\":\"" + number + "\",\"label\":\"Orders\",\"type\":\"number\"}");
        define("{\"key\":\"" + flag + "\",\"label\":\"VIP\",\"type\":\"boolean\"}");
        define("{\"key\":\"" + day + "\",\"label\":\"Birthday\",\"type\":\"date\"}");
        define("{\"key\":\"" + moment + "\",\"label\":\"Last seen\",\"type\":\"datetime\"}");
        define("{\"key\":\"" + tier + "\",\"label\":\"Tier\",\"type\":\"enum\",\"options\":[\"Gold\",\"Silver\"]}");
    }

    @Test
    void everyTypeIsValidatedAndNormalized() {
        long id = contact("{\"" + text + "\":\"  الرياض \",\"" + number + "\":12.50,\"" + flag + "\":true,\"" + day
                + "\":\"2024-02-29\",\"" + moment + "\":\"2024-01-15T13:30:00+03:00\",\"" + tier + "\":\"gold\"}");
        signed().get("/api/developer/contacts/" + id).then().statusCode(200)
                .body("data.custom_attributes." + text, equalTo("الرياض"))
                .body("data.custom_attributes." + number, equalTo(12.5f))
                .body("data.custom_attributes." + flag, equalTo(true))
                .body("data.custom_attributes." + day, equalTo("2024-02-29"))
                .body("data.custom_attributes." + moment, equalTo("2024-01-15T10:30:00Z"))
                .body("data.custom_attributes." + tier, equalTo("Gold"));
    }

    /**
     * The stored attributes come back as PostgreSQL prints jsonb, the merge as Jackson writes it: the two texts never
     * matched, so a PATCH sending values the contact already has wrote it again (a new ETag, a contact.updated event
     * with nothing changed). Compared as values now.
     */
    @Test
    void patchingAttributesToWhatTheyAreChangesNothing() {
        long id = contact("{\"" + text + "\":\"Jeddah\",\"" + tier + "\":\"Gold\"}");
        String path = "/api/developer/contacts/" + id;
        String etag = signed().get(path).then().statusCode(200).extract().header("ETag");
        json("{\"custom_attributes\":{\"" + tier + "\":\"gold\",\"" + number + "\":null}}").patch(path).then().statusCode(200)
                .header("ETag", equalTo(etag));
        signed().get(path).then().statusCode(200).header("ETag", equalTo(etag));
        // A real change still is one.
        json("{\"custom_attributes\":{\"" + tier + "\":\"Silver\"}}").patch(path).then().statusCode(200)
                .header("ETag", not(equalTo(etag))).body("data.custom_attributes." + tier, equalTo("Silver"));
    }

    /** A stored 3 is read back as an integer, the value sent as a decimal: compared by value, 3 again is no change. */
    @Test
    void numbersSentAgainUnchangedChangeNothing() {
        long id = contact("{\"" + number + "\":3}");
        String path = "/api/developer/contacts/" + id;
        String etag = signed().get(path).then().statusCode(200).extract().header("ETag");
        json("{\"custom_attributes\":{\"" + number + "\":3}}").patch(path).then().statusCode(200).header("ETag", equalTo(etag));
        json("{\"custom_attributes\":{\"" + number + "\":3.00}}").patch(path).then().statusCode(200).header("ETag", equalTo(etag));
        json("{\"custom_attributes\":{\"" + number + "\":4}}").patch(path).then().statusCode(200).header("ETag", not(equalTo(etag)));
    }

    /**
     * A datetime with more than six decimals (.NET's round-trip format sends seven) was stored as sent, its typed copy
     * rounded to microseconds and bound filter values truncated: a filter beside another one missed the contact, and a
     * sorted cursor walk over two such contacts served the first one again and again. Kept to the microsecond now.
     */
    @Test
    void datetimesAreKeptToTheMicrosecondSoFiltersAndCursorsAgree() {
        String sent = "2031-05-17T08:15:42.1234567Z";
        long first = contact("{\"" + moment + "\":\"" + sent + "\"}");
        long second = contact("{\"" + moment + "\":\"" + sent + "\"}");
        for (long id : new long[] { first, second }) {
            json("{\"is_favorite\":true}").patch("/api/developer/contacts/" + id).then().statusCode(200)
                    .body("data.custom_attributes." + moment, equalTo("2031-05-17T08:15:42.123456Z"));
        }
        String filter = "attributes[" + moment + "]";
        java.util.List<Number> alone = Attrs.list(filter, sent).statusCode(200).extract().path("data.id");
        java.util.List<Number> withFavorite = Attrs.list(filter, sent, "is_favorite", "true").statusCode(200).extract().path("data.id");
        org.assertj.core.api.Assertions.assertThat(alone).extracting(Number::longValue).containsExactlyInAnyOrder(first, second);
        org.assertj.core.api.Assertions.assertThat(withFavorite).extracting(Number::longValue).containsExactlyInAnyOrder(first, second);
        java.util.List<Long> walked = new java.util.ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 5; page++) {
            var response = cursor == null
                    ? Attrs.list(filter, sent, "is_favorite", "true", "sort", "attributes." + moment, "per_page", "1")
                    : Attrs.list(filter, sent, "is_favorite", "true", "sort", "attributes." + moment, "per_page", "1", "cursor", cursor);
            var body = response.statusCode(200).extract().jsonPath();
            body.<Number>getList("data.id").forEach(id -> walked.add(id.longValue()));
            cursor = body.getString("meta.next_cursor");
            if (cursor == null) {
                break;
            }
        }
        org.assertj.core.api.Assertions.assertThat(walked).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void contactsWithoutAttributesShowAnEmptyObject() {
        long id = json("{\"name\":\"Plain\",\"phone\":\"+" + TestData.uniquePhone() + "\"}")
                .post("/api/developer/contacts?phone_number_id=109876543210").then().statusCode(201)
                .body("data.custom_attributes", anEmptyMap()).extract().<Number>path("data.id").longValue();
        signed().get("/api/developer/contacts/" + id).then().body("data.custom_attributes", anEmptyMap());
    }

    @Test
    void badValuesAre422NamingTheKey() {
        expect422("{\"" + text + "\":\"" + "ش".repeat(11) + "\"}", text, "longer than 10");
        expect422("{\"" + number + "\":\"12\"}", number, "must be a number");
        expect422("{\"" + number + "\":1e15}", number, "between");
        expect422("{\"" + number + "\":0.0000001}", number, "digits after");
        expect422("{\"" + flag + "\":\"yes\"}", flag, "boolean");
        expect422("{\"" + day + "\":\"2023-02-29\"}", day, "date");
        expect422("{\"" + day + "\":\"15/01/2024\"}", day, "YYYY-MM-DD");
        expect422("{\"" + moment + "\":\"2024-01-15T10:30:00\"}", moment, "offset");
        expect422("{\"" + tier + "\":\"Bronze\"}", tier, "must be one of");
        expect422("{\"" + tier + "\":[\"Gold\"]}", tier, "must be one of");
        expect422("{\"nope_" + text + "\":\"x\"}", "nope_" + text, "not an attribute");
    }

    @Test
    void numberEdgesAreNormalized() {
        long id = contact("{\"" + number + "\":-0.0}");
        signed().get("/api/developer/contacts/" + id).then().body("data.custom_attributes." + number, equalTo(0));
        long big = contact("{\"" + number + "\":999999999999999.999999}");
        signed().get("/api/developer/contacts/" + big).then().body("data.custom_attributes." + number,
                org.hamcrest.Matchers.notNullValue());
        long exp = contact("{\"" + number + "\":1E+3}");
        signed().get("/api/developer/contacts/" + exp).then().body("data.custom_attributes." + number, equalTo(1000));
    }

    @Test
    void aNonObjectIs400() {
        createContact("\"gold\"").statusCode(400).body("details.custom_attributes", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void patchMergesKeyByKeyAndNullRemoves() {
        long id = contact("{\"" + text + "\":\"Jeddah\",\"" + number + "\":3}");
        json("{\"custom_attributes\":{\"" + number + "\":4,\"" + flag + "\":false}}").patch("/api/developer/contacts/" + id)
                .then().statusCode(200)
                .body("data.custom_attributes." + text, equalTo("Jeddah"))
                .body("data.custom_attributes." + number, equalTo(4))
                .body("data.custom_attributes." + flag, equalTo(false));
        json("{\"custom_attributes\":{\"" + text + "\":null}}").patch("/api/developer/contacts/" + id)
                .then().statusCode(200).body("data.custom_attributes", not(hasKey(text)))
                .body("data.custom_attributes." + number, equalTo(4));
        // The typed copy follows: the removed value no longer matches a filter.
        Attrs.list("attributes[" + text + "]", "Jeddah", "per_page", "100").statusCode(200).body("data.id", not(hasItem((int) id)));
        Attrs.list("attributes[" + number + "]", "4", "per_page", "100").statusCode(200).body("data.id", hasItem((int) id));
    }

    @Test
    void formsSendBracketedFields() {
        long id = signed().contentType("application/x-www-form-urlencoded")
                .body(Attrs.form("name", "Form", "phone", "+" + TestData.uniquePhone(), "custom_attributes[" + tier + "]", "silver",
                        "custom_attributes[" + number + "]", "7.25", "custom_attributes[" + flag + "]", "1"))
                .post("/api/developer/contacts?phone_number_id=109876543210").then().statusCode(201)
                .body("data.custom_attributes." + tier, equalTo("Silver"))
                .body("data.custom_attributes." + number, equalTo(7.25f))
                .body("data.custom_attributes." + flag, equalTo(true))
                .extract().<Number>path("data.id").longValue();
        signed().contentType("application/x-www-form-urlencoded").body(Attrs.form("custom_attributes[" + tier + "]", ""))
                .patch("/api/developer/contacts/" + id).then().statusCode(200)
                .body("data.custom_attributes", not(hasKey(tier)));
        // A bare field carrying the object as JSON text, as Swagger UI and JSON-minded form tools send it.
        Api.signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, 1).contentType("application/x-www-form-urlencoded")
                .body(Attrs.form("custom_attributes", "{\"" + tier + "\":\"gold\"}"))
                .patch("/api/developer/contacts/" + id).then().statusCode(200)
                .body("data.custom_attributes." + tier, equalTo("Gold"));
        signed().contentType("application/x-www-form-urlencoded").body(Attrs.form("custom_attributes", "gold"))
                .patch("/api/developer/contacts/" + id).then().statusCode(422)
                .body("details.custom_attributes", equalTo("send each attribute as its own field, custom_attributes[key]=value"));
        signed().contentType("application/x-www-form-urlencoded").body(Attrs.form("custom_attributes[" + number + "]", "many"))
                .patch("/api/developer/contacts/" + id).then().statusCode(422)
                .body("details.'custom_attributes." + number + "'", equalTo("must be a number"));
    }

    @Test
    void updatesNameChangedAttributesInTheirEvent() {
        long id = contact("{\"" + number + "\":1}");
        json("{\"custom_attributes\":{\"" + number + "\":2,\"" + tier + "\":\"Gold\"}}").patch("/api/developer/contacts/" + id)
                .then().statusCode(200);
        java.util.Map<String, Object> updated = null;
        String after = null;
        boolean more = true;
        while (more) {
            var page = signed().get("/api/developer/events?types=contact.updated&limit=1000" + (after == null ? "" : "&after=" + after))
                    .then().statusCode(200).extract().jsonPath();
            for (java.util.Map<String, Object> event : page.<java.util.Map<String, Object>>getList("data")) {
                java.util.Map<?, ?> contact = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) event.get("data")).get("contact");
                if (((Number) contact.get("id")).longValue() == id) {
                    updated = event;
                }
            }
            after = page.getString("meta.next_cursor");
            more = page.getBoolean("meta.has_more");
        }
        org.assertj.core.api.Assertions.assertThat(updated).isNotNull();
        java.util.Map<?, ?> data = (java.util.Map<?, ?>) updated.get("data");
        org.assertj.core.api.Assertions.assertThat((java.util.List<Object>) data.get("changed"))
                .containsExactlyInAnyOrder("custom_attributes." + number, "custom_attributes." + tier);
        org.assertj.core.api.Assertions.assertThat((java.util.Map<Object, Object>) ((java.util.Map<?, ?>) data.get("contact")).get("custom_attributes"))
                .containsEntry(tier, "Gold");
    }

    @Test
    void anotherWorkspaceCannotUseTheseKeys() {
        json("{\"name\":\"Other\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"custom_attributes\":{\"" + tier + "\":\"Gold\"}}");
        dev.awal.contacts.support.Api.inWorkspace("beta").contentType("application/json")
                .body("{\"name\":\"Other\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"custom_attributes\":{\"" + tier + "\":\"Gold\"}}")
                .post("/api/developer/contacts?phone_number_id=109876543210").then().statusCode(422)
                .body("details.'custom_attributes." + tier + "'", equalTo("is not an attribute defined in this workspace"));
        // Beta may define the same key with another type; alpha's values are untouched.
        define("beta", "{\"key\":\"" + tier + "\",\"label\":\"Tier\",\"type\":\"number\"}");
        dev.awal.contacts.support.Api.inWorkspace("beta").get("/api/developer/contact-attributes?per_page=100").then().statusCode(200)
                .body("data.find { it.key == '" + tier + "' }.type", equalTo("number"));
        signed().get("/api/developer/contact-attributes?per_page=100").then()
                .body("data.find { it.key == '" + tier + "' }.type", equalTo("enum"));
    }

    @Test
    void byPhoneTakesAttributesAndRefusesUnknownOnesWithoutWriting() {
        String phone = TestData.uniquePhone();
        String path = "/api/developer/contacts/by-phone/" + phone + "?phone_number_id=109876543210";
        json("{\"name\":\"By phone\",\"custom_attributes\":{\"" + tier + "\":\"Gold\",\"no_such_key\":1}}").put(path)
                .then().statusCode(422).body("details", hasKey("custom_attributes.no_such_key"));
        signed().get("/api/developer/contacts/by-phone/" + phone).then().statusCode(404);
        json("{\"name\":\"By phone\",\"custom_attributes\":{\"" + tier + "\":\"gold\"}}").put(path).then().statusCode(201)
                .body("data.custom_attributes." + tier, equalTo("Gold"));
    }

    private static void expect422(String attributes, String key, String message) {
        createContact(attributes).statusCode(422).body("error", equalTo("validation_failed"))
                .body("details.'custom_attributes." + key + "'", org.hamcrest.Matchers.containsString(message));
    }
}
