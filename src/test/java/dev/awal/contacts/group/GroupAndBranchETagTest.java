package dev.awal.contacts.group;

import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** Groups and branches carry an ETag like contacts do, and honour If-Match on PATCH and DELETE over HTTP. */
@QuarkusTest
class GroupAndBranchETagTest {

    @ParameterizedTest
    @ValueSource(strings = { "/api/developer/contact-groups", "/api/developer/branches" })
    void ifMatchGuardsUpdateAndDelete(String collection) {
        // A branch is created for a sender number; a group is not.
        String createPath = collection.endsWith("/branches") ? collection + "?phone_number_id=1" : collection;
        var create = json("{\"name\":\"ETag " + TestData.uniquePhone() + "\"}").post(createPath)
                .then().statusCode(201).extract();
        String created = create.header("ETag");
        int id = create.path("data.id");
        var read = signed().get(collection + "/" + id).then().statusCode(200).extract();
        String etag = read.header("ETag");
        assertThat(etag).isNotBlank().isEqualTo(created);

        String renamed = "Renamed " + TestData.uniquePhone();
        String next = json("{\"name\":\"" + renamed + "\"}").header("If-Match", etag).patch(collection + "/" + id)
                .then().statusCode(200).body("data.name", equalTo(renamed)).extract().header("ETag");
        assertThat(next).isNotBlank().isNotEqualTo(etag);

        // The first ETag is stale now: neither an update nor a delete goes through with it.
        json("{\"name\":\"Lost update " + TestData.uniquePhone() + "\"}").header("If-Match", etag)
                .patch(collection + "/" + id).then().statusCode(412).body("error", equalTo("precondition_failed"));
        // Signed 100 s in the past, so the accepted DELETE below never carries the same signature (If-Match is
        // not signed, and an identical signed write is refused as a replay).
        Api.signedAt(Api.CLIENT, Api.SECRET, Api.WORKSPACE, -100).header("If-Match", etag).delete(collection + "/" + id)
                .then().statusCode(412);
        signed().get(collection + "/" + id).then().statusCode(200).body("data.name", equalTo(renamed))
                .header("ETag", next);

        signed().header("If-Match", next).delete(collection + "/" + id).then().statusCode(200);
        signed().get(collection + "/" + id).then().statusCode(404);
    }
}
