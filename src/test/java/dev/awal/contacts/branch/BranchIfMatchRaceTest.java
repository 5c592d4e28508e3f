package dev.awal.contacts.branch;

import static dev.awal.contacts.support.Api.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.persistence.Branch;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.ServiceRace;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/** Conditional branch changes: of racers holding one ETag exactly one wins, the others get 412. */
@QuarkusTest
class BranchIfMatchRaceTest {

    private static final String WORKSPACE = "alpha";

    @Inject
    BranchService branches;
    @Inject
    ObjectMapper mapper;
    @Inject
    Vertx vertx;

    @Test
    void racingConditionalUpdatesHaveOneWinnerAndStaleDeletesAre412() {
        for (int round = 0; round < 5; round++) {
            long id = json("{\"name\":\"IfMatch " + TestData.uniquePhone() + "\"}").post("/api/developer/branches?phone_number_id=1")
                    .then().statusCode(201).extract().<Number>path("data.id").longValue();
            String etag = OnVertx.await(vertx, () -> branches.get(WORKSPACE, id)).etag();
            String prefix = "Race " + TestData.uniquePhone() + " ";
            List<Integer> statuses = ServiceRace.run(vertx, 20, i -> () -> branches.update(WORKSPACE, id, etag,
                    BranchInput.from(ServiceRace.json("{\"name\":\"" + prefix + i + "\"}", mapper), List.of(), false)));
            assertThat(Collections.frequency(statuses, 200)).as("%s", statuses).isEqualTo(1);
            assertThat(Collections.frequency(statuses, 412)).as("%s", statuses).isEqualTo(19);
            Branch after = OnVertx.await(vertx, () -> branches.get(WORKSPACE, id));
            assertThat(after.name).startsWith(prefix);
            assertThat(after.etag()).isNotEqualTo(etag);

            List<Integer> deletes = ServiceRace.run(vertx, 6, i -> () -> branches.delete(WORKSPACE, id, i % 2 == 0 ? etag : null));
            assertThat(Collections.frequency(deletes, 200)).as("%s", deletes).isEqualTo(1);
            for (int i = 0; i < deletes.size(); i++) {
                assertThat(deletes.get(i)).isIn(i % 2 == 0 ? List.of(404, 412) : List.of(200, 404));
            }
        }
    }
}
