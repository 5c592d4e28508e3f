package dev.awal.contacts.attributes;

import static dev.awal.contacts.attributes.Attrs.contact;
import static dev.awal.contacts.attributes.Attrs.define;
import static dev.awal.contacts.attributes.Attrs.key;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import io.quarkus.test.junit.QuarkusTest;

/** The definitions API: rules, incompatible changes, deletion with its values, tenancy and races. */
@QuarkusTest
class AttributeDefinitionsTest {

    private static final String PATH = "/api/developer/contact-attributes";

    @Test
    void definitionRules() {
        String key = key("plan");
        long id = define("{\"key\":\"" + key + "\",\"label\":\"Plan\",\"type\":\"text\"}");
        signed().get(PATH + "/" + id).then().statusCode(200).body("data.max_length", equalTo(255))
                .body("data.options", equalTo(null)).header("ETag", "\"0\"");
        json("{\"key\":\"" + key + "\",\"label\":\"Again\",\"type\":\"number\"}").post(PATH).then().statusCode(409)
                .body("error", equalTo("duplicate_name")).body("details.key", equalTo("has already been taken"));
        json("{\"key\":\"Bad-Key\",\"label\":\"x\",\"type\":\"text\"}").post(PATH).then().statusCode(422).body("details", hasKey("key"));
        // A contact field's name would share its CSV column with the field (the import gave the column to the field).
        for (String field : new String[] { "email", "name", "branch_id" }) {
            json("{\"key\":\"" + field + "\",\"label\":\"x\",\"type\":\"text\"}").post(PATH).then().statusCode(422)
                    .body("details.key", org.hamcrest.Matchers.startsWith("is the name of a contact field"));
        }
        json("{\"key\":\"" + key("x") + "\",\"label\":\"x\",\"type\":\"color\"}").post(PATH).then().statusCode(422).body("details", hasKey("type"));
        json("{\"key\":\"" + key("x") + "\",\"label\":\"x\",\"type\":\"enum\"}").post(PATH).then().statusCode(422).body("details", hasKey("options"));
        json("{\"key\":\"" + key("x") + "\",\"label\":\"x\",\"type\":\"enum\",\"options\":[\"a\",\"A\"]}").post(PATH).then().statusCode(422);
        json("{\"key\":\"" + key("x") + "\",\"label\":\"x\",\"type\":\"text\",\"max_length\":501}").post(PATH).then().statusCode(422);
        json("{\"type\":\"number\"}").patch(PATH + "/" + id).then().statusCode(422).body("details", hasKey("type"));
        json("{\"label\":\"Plan 2\"}").header("If-Match", "\"7\"").patch(PATH + "/" + id).then().statusCode(412);
        json("{\"label\":\"Plan 3\"}").patch(PATH + "/" + id).then().statusCode(200).body("data.label", equalTo("Plan 3"));
        // null options and max_length are "not sent", as generated clients send a list or number they were not given.
        long noted = define("{\"key\":\"" + key("note") + "\",\"label\":\"Note\",\"type\":\"text\",\"options\":null,\"max_length\":null}");
        signed().get(PATH + "/" + noted).then().statusCode(200).body("data.max_length", equalTo(255)).body("data.options", equalTo(null));
        json("{\"label\":\"Note 2\",\"options\":null,\"max_length\":null}").patch(PATH + "/" + noted).then().statusCode(200)
                .body("data.label", equalTo("Note 2")).body("data.max_length", equalTo(255));
    }

    @Test
    void incompatibleChangesAre409WithTheNumberOfContacts() {
        String tier = key("tier");
        long enumId = define("{\"key\":\"" + tier + "\",\"label\":\"Tier\",\"type\":\"enum\",\"options\":[\"gold\",\"silver\"]}");
        String note = key("note");
        long textId = define("{\"key\":\"" + note + "\",\"label\":\"Note\",\"type\":\"text\",\"max_length\":20}");
        contact("{\"" + tier + "\":\"gold\",\"" + note + "\":\"twelve chars\"}");
        contact("{\"" + tier + "\":\"gold\"}");
        json("{\"options\":[\"silver\",\"bronze\"]}").patch(PATH + "/" + enumId).then().statusCode(409)
                .body("error", equalTo("attribute_in_use")).body("details.contacts", equalTo(2));
        json("{\"options\":[\"gold\",\"silver\",\"bronze\"]}").patch(PATH + "/" + enumId).then().statusCode(200)
                .body("data.options", equalTo(List.of("gold", "silver", "bronze")));
        json("{\"max_length\":5}").patch(PATH + "/" + textId).then().statusCode(409).body("details.contacts", equalTo(1));
        json("{\"max_length\":12}").patch(PATH + "/" + textId).then().statusCode(200);
    }

    @Test
    void deletingRemovesTheValuesFromEveryContact() {
        String key = key("gone");
        long id = define("{\"key\":\"" + key + "\",\"label\":\"Gone\",\"type\":\"number\"}");
        long first = contact("{\"" + key + "\":1}");
        long second = contact("{\"" + key + "\":2}");
        signed().delete(PATH + "/" + id).then().statusCode(200).body("data.cleared_contacts", equalTo(2));
        signed().get("/api/developer/contacts/" + first).then().body("data.custom_attributes", not(hasKey(key)));
        signed().get("/api/developer/contacts/" + second).then().body("data.custom_attributes", not(hasKey(key)));
        signed().get(PATH + "/" + id).then().statusCode(404);
        // The key can be defined again, and the old values do not come back.
        define("{\"key\":\"" + key + "\",\"label\":\"Back\",\"type\":\"number\"}");
        Attrs.list("attributes[" + key + "][exists]", "true").statusCode(200).body("data", org.hamcrest.Matchers.empty());
    }

    @Test
    void anotherWorkspaceCannotSeeOrChangeDefinitions() {
        long id = define("{\"key\":\"" + key("mine") + "\",\"label\":\"Mine\",\"type\":\"boolean\"}");
        Api.inWorkspace("beta").get(PATH + "/" + id).then().statusCode(404);
        Api.inWorkspace("beta").contentType("application/json").body("{\"label\":\"Theirs\"}").patch(PATH + "/" + id).then().statusCode(404);
        Api.inWorkspace("beta").delete(PATH + "/" + id).then().statusCode(404);
        signed().get(PATH + "/" + id).then().statusCode(200).body("data.label", equalTo("Mine"));
    }

    @Test
    void concurrentCreatesOfOneKeyHaveOneWinner() throws Exception {
        String key = key("race");
        List<Integer> statuses = race(8, i -> () -> json("{\"key\":\"" + key + "\",\"label\":\"Racer " + i + "\",\"type\":\"text\"}")
                .post(PATH).then().extract().statusCode());
        assertThat(Collections.frequency(statuses, 201)).as("%s", statuses).isEqualTo(1);
        assertThat(Collections.frequency(statuses, 409)).as("%s", statuses).isEqualTo(7);
    }

    @Test
    void definitionDeleteRacingContactWritesEndsConsistent() throws Exception {
        String key = key("racy");
        long id = define("{\"key\":\"" + key + "\",\"label\":\"Racy\",\"type\":\"number\"}");
        List<Long> contacts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            contacts.add(contact("{}"));
        }
        List<Integer> statuses = race(5, i -> () -> i == 0
                ? Api.signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, 0).delete(PATH + "/" + id).then().extract().statusCode()
                : json("{\"custom_attributes\":{\"" + key + "\":" + i + "}}").patch("/api/developer/contacts/" + contacts.get(i - 1))
                        .then().extract().statusCode());
        assertThat(statuses.get(0)).isEqualTo(200);
        assertThat(statuses.subList(1, 5)).allMatch(status -> status == 200 || status == 422);
        // Whatever the order, no contact keeps a value of the deleted attribute.
        for (long contact : contacts) {
            signed().get("/api/developer/contacts/" + contact).then().body("data.custom_attributes", not(hasKey(key)));
        }
    }

    private static List<Integer> race(int n, java.util.function.IntFunction<Callable<Integer>> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(task.apply(i)));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> future : futures) {
                statuses.add(future.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
