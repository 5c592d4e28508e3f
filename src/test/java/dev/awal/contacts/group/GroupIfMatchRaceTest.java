package dev.awal.contacts.group;

import static dev.awal.contacts.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.persistence.ContactGroup;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.ServiceRace;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/** Conditional group changes: of racers holding one ETag exactly one wins, the others get 412. */
@QuarkusTest
class GroupIfMatchRaceTest {

    private static final String WORKSPACE = "alpha";

    @Inject
    GroupService groups;
    @Inject
    ObjectMapper mapper;
    @Inject
    Vertx vertx;

    @Test
    void racingConditionalUpdatesHaveOneWinnerAndStaleDeletesAre412() {
        for (int round = 0; round < 5; round++) {
            long id = json("{\"name\":\"IfMatch " + TestData.uniquePhone() + "\"}").post("/api/developer/contact-groups")
                    .then().statusCode(201).extract().<Number>path("data.id").longValue();
            String etag = OnVertx.await(vertx, () -> groups.get(WORKSPACE, id)).etag();
            String prefix = "Race " + TestData.uniquePhone() + " ";
            List<Integer> statuses = ServiceRace.run(vertx, 20, i -> () -> groups.update(WORKSPACE, id, etag,
                    GroupInput.from(ServiceRace.json("{\"name\":\"" + prefix + i + "\"}", mapper), false)));
            assertThat(Collections.frequency(statuses, 200)).as("%s", statuses).isEqualTo(1);
            assertThat(Collections.frequency(statuses, 412)).as("%s", statuses).isEqualTo(19);
            ContactGroup after = OnVertx.await(vertx, () -> groups.get(WORKSPACE, id));
            assertThat(after.name).startsWith(prefix);
            assertThat(after.etag()).isNotEqualTo(etag);

            List<Integer> deletes = ServiceRace.run(vertx, 6, i -> () -> groups.delete(WORKSPACE, id, i % 2 == 0 ? etag : null));
            assertThat(Collections.frequency(deletes, 200)).as("%s", deletes).isEqualTo(1);
            for (int i = 0; i < deletes.size(); i++) {
                assertThat(deletes.get(i)).isIn(i % 2 == 0 ? List.of(404, 412) : List.of(200, 404));
            }
        }
    }
}
