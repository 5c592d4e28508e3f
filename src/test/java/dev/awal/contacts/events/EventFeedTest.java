package dev.awal.contacts.events;

import static dev.awal.contacts.support.Api.inWorkspace;
import static dev.awal.contacts.support.Api.json;
import static dev.awal.contacts.support.Api.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.support.Api;
import dev.awal.contacts.support.DatabaseSessions;
import dev.awal.contacts.support.OnVertx;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;

/** The outbox and the change feed: an event for every change, none for a failed one, per workspace. */
@QuarkusTest
class EventFeedTest {

    private static final String CONTACTS = "/api/developer/contacts";

    @Inject
    EventFeed feed;
    @Inject
    Vertx vertx;

    private static long create(String body) {
        return json(body).post(CONTACTS + "?phone_number_id=1").then().statusCode(201).extract().<Number>path("data.id").longValue();
    }

    @Test
    void contactChangesWriteTheirEventsWithVersions() {
        String start = Feed.end("alpha");
        String phone = TestData.uniquePhone();
        long id = create("{\"name\":\"Evented\",\"phone\":\"+" + phone + "\"}");
        json("{\"email\":\"evented@example.com\",\"name\":\"Evented\"}").patch(CONTACTS + "/" + id).then().statusCode(200);
        // Nothing changes: no event.
        json("{\"email\":\"evented@example.com\"}").patch(CONTACTS + "/" + id).then().statusCode(200);
        signed().delete(CONTACTS + "/" + id).then().statusCode(200);

        Feed.Read read = Feed.until("alpha", start, null, r -> r.matching(e -> Feed.aboutContact(e, id)).size() >= 3);
        List<Map<String, Object>> events = read.matching(e -> Feed.aboutContact(e, id));
        assertThat(events).extracting(e -> e.get("type")).containsExactly("contact.created", "contact.updated", "contact.deleted");
        assertThat(events).allSatisfy(e -> assertThat(e).containsEntry("workspace", "alpha").containsKeys("id", "created_at"));
        assertThat(Feed.contact(events.get(0))).containsEntry("phone", phone).containsEntry("version", 0).containsEntry("email", null);
        assertThat(Feed.data(events.get(1))).containsEntry("changed", List.of("email"));
        assertThat(Feed.contact(events.get(1))).containsEntry("email", "evented@example.com").containsEntry("version", 1);
        assertThat(Feed.data(events.get(2))).isEqualTo(Map.of("id", (int) id, "phone", phone, "version", 1));
        assertThat(Feed.id(events.get(0))).isLessThan(Feed.id(events.get(1)));
        assertThat(Feed.id(events.get(1))).isLessThan(Feed.id(events.get(2)));
    }

    @Test
    void groupAndBranchChangesAndTheirSetBasedUnlinksWriteEvents() {
        String start = Feed.end("alpha");
        String suffix = TestData.uniquePhone();
        long group = json("{\"name\":\"Evented group " + suffix + "\"}").post("/api/developer/contact-groups").then().statusCode(201)
                .extract().<Number>path("data.id").longValue();
        long branch = json("{\"name\":\"Evented branch " + suffix + "\",\"contact_group_id\":" + group + "}")
                .post("/api/developer/branches?phone_number_id=1").then().statusCode(201).extract().<Number>path("data.id").longValue();
        long contact = create("{\"name\":\"Member\",\"phone\":\"+" + suffix + "\",\"contact_group_id\":" + group
                + ",\"branch_id\":" + branch + "}");
        json("{\"name\":\"Renamed group " + suffix + "\"}").patch("/api/developer/contact-groups/" + group).then().statusCode(200);
        signed().delete("/api/developer/contact-groups/" + group).then().statusCode(200).body("data.unlinked_contacts", equalTo(1));
        signed().delete("/api/developer/branches/" + branch).then().statusCode(200).body("data.unlinked_contacts", equalTo(1));

        Feed.Read read = Feed.until("alpha", start, null, r -> r.matching(e -> "branch.deleted".equals(e.get("type"))
                && ((Number) Feed.data(e).get("id")).longValue() == branch).size() == 1);
        List<Map<String, Object>> mine = read.matching(e -> {
            Map<String, Object> data = Feed.data(e);
            Object nested = data.containsKey("contact_group") ? data.get("contact_group")
                    : data.containsKey("branch") ? data.get("branch") : data.containsKey("contact") ? data.get("contact") : data;
            long id = ((Number) ((Map<?, ?>) nested).get("id")).longValue();
            String type = (String) e.get("type");
            return type.startsWith("contact_group.") ? id == group : type.startsWith("branch.") ? id == branch : id == contact;
        });
        assertThat(mine).extracting(e -> e.get("type")).containsExactly("contact_group.created", "branch.created",
                "contact.created", "contact_group.updated", "branch.updated", "contact.updated", "contact_group.deleted",
                "contact.updated", "branch.deleted");
        assertThat(Feed.data(mine.get(3))).extractingByKey("contact_group").asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("name", "Renamed group " + suffix)
                .containsEntry("version", 1);
        // The group's deletion unlinks its branches, then its contacts (the order writers lock them in).
        assertThat(Feed.data(mine.get(5))).containsEntry("changed", List.of("contact_group_id"));
        assertThat(Feed.contact(mine.get(5))).containsEntry("contact_group_id", null).containsEntry("version", 1);
        assertThat(Feed.data(mine.get(6))).containsEntry("unlinked_contacts", 1).containsEntry("unlinked_branches", 1);
        assertThat(Feed.data(mine.get(7))).containsEntry("changed", List.of("branch_id"));
        assertThat(Feed.contact(mine.get(7))).containsEntry("branch_id", null).containsEntry("version", 2);
        assertThat(Feed.data(mine.get(8))).containsEntry("unlinked_contacts", 1);
    }

    @Test
    void deletingABigGroupWritesAnEventPerUnlinkedContact() {
        long group = json("{\"name\":\"Big group " + TestData.uniquePhone() + "\"}").post("/api/developer/contact-groups")
                .then().statusCode(201).extract().<Number>path("data.id").longValue();
        for (int batch = 0; batch < 3; batch++) {
            List<String> items = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                items.add("{\"name\":\"Member\",\"phone\":\"+" + TestData.uniquePhone() + "\",\"contact_group_id\":" + group + "}");
            }
            json("{\"contacts\":[" + String.join(",", items) + "]}").post(CONTACTS + "/batch?phone_number_id=1").then().statusCode(200);
        }
        String start = Feed.until("alpha", Feed.end("alpha"), null, r -> true).cursor();
        signed().delete("/api/developer/contact-groups/" + group).then().statusCode(200).body("data.unlinked_contacts", equalTo(300));

        Feed.Read read = Feed.until("alpha", start, null, r -> r.matching(e -> "contact_group.deleted".equals(e.get("type"))
                && ((Number) Feed.data(e).get("id")).longValue() == group).size() == 1);
        List<Map<String, Object>> unlinked = read.matching(e -> "contact.updated".equals(e.get("type"))
                && List.of("contact_group_id").equals(Feed.data(e).get("changed")));
        assertThat(unlinked).hasSize(300).allSatisfy(e -> assertThat(Feed.contact(e)).containsEntry("contact_group_id", null)
                .containsEntry("version", 1));
        assertThat(unlinked.stream().map(e -> Feed.contact(e).get("id")).distinct()).hasSize(300);
    }

    @Test
    void upsertsWriteEventsInTheirStatement() {
        String start = Feed.end("alpha");
        String phone = TestData.uniquePhone();
        String path = CONTACTS + "/by-phone/" + phone + "?phone_number_id=1";
        long id = json("{\"name\":\"Upserted\"}").put(path).then().statusCode(201).extract().<Number>path("data.id").longValue();
        json("{\"name\":\"Upserted\",\"address\":\"Riyadh\"}").put(path).then().statusCode(200);
        // Equal to what is stored: nothing written, no event (a different body, or the replay guard refuses it).
        json("{\"address\":\"Riyadh\",\"name\":\"Upserted\"}").put(path).then().statusCode(200);
        String other = TestData.uniquePhone();
        json("{\"contacts\":[{\"name\":\"Batch\",\"phone\":\"+" + other + "\"},{\"name\":\"Upserted again\",\"phone\":\"+" + phone
                + "\"}]}").post(CONTACTS + "/batch?phone_number_id=1").then().statusCode(200);

        Feed.Read read = Feed.until("alpha", start, null, r -> r.matching(e -> Feed.aboutContact(e, id)).size() >= 3
                && r.matching(e -> other.equals(Feed.contact(e).get("phone"))).size() == 1);
        List<Map<String, Object>> events = read.matching(e -> Feed.aboutContact(e, id));
        assertThat(events).extracting(e -> e.get("type")).containsExactly("contact.created", "contact.updated", "contact.updated");
        assertThat(Feed.data(events.get(1))).containsEntry("changed", List.of("address"));
        assertThat(Feed.data(events.get(2))).containsEntry("changed", List.of("name"));
        assertThat(events).extracting(e -> Feed.contact(e).get("version")).containsExactly(0, 1, 2);
        assertThat(read.matching(e -> other.equals(Feed.contact(e).get("phone")))).extracting(e -> e.get("type"))
                .containsExactly("contact.created");
    }

    @Test
    void failedWritesLeaveNoEvent() {
        String phone = TestData.uniquePhone();
        long id = create("{\"name\":\"Guarded\",\"phone\":\"+" + phone + "\"}");
        String start = Feed.until("alpha", Feed.end("alpha"), null, r -> true).cursor();
        long before = count();
        // 409: the phone is taken (the insert is rolled back); 412: a stale If-Match; 422: a missing group.
        json("{\"name\":\"Twin\",\"phone\":\"+" + phone + "\"}").post(CONTACTS + "?phone_number_id=1").then().statusCode(409);
        json("{\"name\":\"Stale\"}").header("If-Match", "\"99\"").patch(CONTACTS + "/" + id).then().statusCode(412);
        signed().header("If-Match", "\"99\"").delete(CONTACTS + "/" + id).then().statusCode(412);
        json("{\"contact_group_id\":999999999}").patch(CONTACTS + "/" + id).then().statusCode(422);
        json("{\"name\":\"Stale\"}").header("If-Match", "\"99\"").put(CONTACTS + "/by-phone/" + phone + "?phone_number_id=1")
                .then().statusCode(412);

        assertThat(Feed.drain("alpha", start, null).matching(e -> Feed.aboutContact(e, id))).isEmpty();
        assertThat(Feed.drain("alpha", start, null).matching(e -> phone.equals(String.valueOf(Feed.data(e).get("phone")))
                || (Feed.data(e).get("contact") instanceof Map<?, ?> c && phone.equals(c.get("phone"))))).isEmpty();
        assertThat(count()).isEqualTo(before);
    }

    private static long count() {
        return Long.parseLong(DatabaseSessions.query("select count(*) from events where workspace = 'alpha'").get(0));
    }

    @Test
    void aWorkspaceSeesOnlyItsOwnEvents() {
        String alphaStart = Feed.end("alpha");
        String betaStart = Feed.end("beta");
        String phone = TestData.uniquePhone();
        long id = create("{\"name\":\"Alpha only\",\"phone\":\"+" + phone + "\"}");
        // Beta cannot change alpha's contact either, so nothing is written for it.
        inWorkspace("beta").contentType("application/json").body("{\"name\":\"Hijack\"}").patch(CONTACTS + "/" + id)
                .then().statusCode(404);
        Feed.until("alpha", alphaStart, null, r -> r.matching(e -> Feed.aboutContact(e, id)).size() == 1);
        Feed.Read beta = Feed.drain("beta", betaStart, null);
        assertThat(beta.events()).allSatisfy(e -> assertThat(e).containsEntry("workspace", "beta"));
        assertThat(beta.matching(e -> Feed.aboutContact(e, id))).isEmpty();
        assertThat(Feed.drain("beta", null, null).events()).allSatisfy(e -> assertThat(e).containsEntry("workspace", "beta"));
        // A cursor is only a position: alpha's cursor read in beta shows beta's events, never alpha's.
        assertThat(Feed.drain("beta", alphaStart, null).events()).allSatisfy(e -> assertThat(e).containsEntry("workspace", "beta"));
    }

    @Test
    void typesFilterLimitAndPaging() {
        String start = Feed.end("alpha");
        long first = create("{\"name\":\"Paged 1\",\"phone\":\"+" + TestData.uniquePhone() + "\"}");
        long second = create("{\"name\":\"Paged 2\",\"phone\":\"+" + TestData.uniquePhone() + "\"}");
        json("{\"name\":\"Paged group " + TestData.uniquePhone() + "\"}").post("/api/developer/contact-groups").then().statusCode(201);
        signed().delete(CONTACTS + "/" + first).then().statusCode(200);

        Feed.Read all = Feed.until("alpha", start, null, r -> r.matching(e -> Feed.aboutContact(e, first)).size() == 2);
        assertThat(all.matching(e -> Feed.aboutContact(e, second))).hasSize(1);
        Feed.Read created = Feed.drain("alpha", start, "contact.created");
        assertThat(created.events()).extracting(e -> e.get("type")).containsOnly("contact.created");
        Feed.Read contacts = Feed.drain("alpha", start, "contact.*");
        assertThat(contacts.events()).extracting(e -> (String) e.get("type")).allMatch(t -> t.startsWith("contact."));
        assertThat(contacts.matching(e -> Feed.aboutContact(e, first))).extracting(e -> e.get("type"))
                .containsExactly("contact.created", "contact.deleted");
        Feed.Read groupsAndDeletes = Feed.drain("alpha", start, "contact_group.*, *.deleted");
        assertThat(groupsAndDeletes.events()).extracting(e -> (String) e.get("type"))
                .allMatch(t -> t.startsWith("contact_group.") || t.endsWith(".deleted")).isNotEmpty();

        // One event per page, in the same order as all at once, each once.
        List<Object> paged = new java.util.ArrayList<>();
        String cursor = start;
        for (int i = 0; i < all.events().size(); i++) {
            var page = Feed.page("alpha", cursor, null, 1);
            paged.addAll(page.getList("data.id"));
            cursor = page.getString("meta.next_cursor");
        }
        assertThat(paged).isEqualTo(all.events().stream().map(e -> e.get("id")).toList());
    }

    @Test
    void badParametersAre400AndAnExpiredCursorIs410() {
        signed().queryParam("limit", "0").get("/api/developer/events").then().statusCode(400).body("details.limit", equalTo(
                "must be an integer from 1 to 1000"));
        signed().queryParam("limit", "x").get("/api/developer/events").then().statusCode(400);
        signed().queryParam("after", "not-a-cursor").get("/api/developer/events").then().statusCode(400)
                .body("error", equalTo("bad_request")).body("details.after", org.hamcrest.Matchers.notNullValue());
        signed().queryParam("types", "contact.%").get("/api/developer/events").then().statusCode(400)
                .body("details.types", org.hamcrest.Matchers.notNullValue());
        long old = Instant.now().minus(31, ChronoUnit.DAYS).getEpochSecond();
        String expired = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("ev\n0\n0\n" + old).getBytes(StandardCharsets.UTF_8));
        signed().queryParam("after", expired).get("/api/developer/events").then().statusCode(410)
                .body("error", equalTo("gone")).body("details.after", org.hamcrest.Matchers.notNullValue())
                .body("message", equalTo("This cursor is older than the event retention (P30D)"));
        long recent = Instant.now().minus(29, ChronoUnit.DAYS).getEpochSecond();
        String kept = Base64.getUrlEncoder().withoutPadding().encodeToString(("ev\n0\n0\n" + recent).getBytes(StandardCharsets.UTF_8));
        signed().queryParam("after", kept).queryParam("limit", 1).get("/api/developer/events").then().statusCode(200);
    }

    /**
     * A reader starting without a cursor in a workspace whose oldest events are past the retention but not purged
     * yet (the purge runs hourly): the first page began with those events and its cursor, dated by them, was
     * refused with 410 at once, and starting again led to the same page.
     */
    @Test
    void aReadFromTheStartSkipsEventsPastTheRetentionSoItsCursorIsAccepted() {
        create("{\"name\":\"Recent\",\"phone\":\"+" + TestData.uniquePhone() + "\"}");
        Feed.end("alpha");
        DatabaseSessions.query("insert into events (workspace, type, data, created_at, txid) select 'alpha', 'contact.deleted',"
                + " '{\"id\":1,\"phone\":\"1\",\"version\":0}', now() - interval '31 days', '1' from generate_series(1, 3)"
                + " returning id");
        var first = Feed.page("alpha", null, null, 1);
        assertThat(Instant.parse(first.getString("data[0].created_at"))).isAfter(Instant.now().minus(30, ChronoUnit.DAYS));
        assertThat(first.getBoolean("meta.has_more")).isTrue();
        var second = Feed.page("alpha", first.getString("meta.next_cursor"), null, 1);
        assertThat(second.getList("data")).hasSize(1);
    }

    /**
     * With a type filter the position moves past the events the filter drops: before, it stayed where it was, so
     * every poll read again every event since the last match (and a filtered read from the start, all of them).
     */
    @Test
    void aFilteredReadMovesPastTheEventsItDrops() {
        String start = Feed.end("alpha");
        for (int i = 0; i < 15; i++) {
            create("{\"name\":\"Filtered out " + i + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}");
        }
        Feed.until("alpha", start, "contact.created", r -> r.events().size() >= 15);
        // Limit 1 reads at most 10 events per page: the 15 contact events take two pages or more, none served.
        var page = Feed.page("alpha", start, "branch.*", 1);
        assertThat(page.getList("data")).isEmpty();
        assertThat(page.getBoolean("meta.has_more")).isTrue();
        String cursor = page.getString("meta.next_cursor");
        assertThat(cursor).isNotEqualTo(start);
        int pages = 1;
        while (page.getBoolean("meta.has_more")) {
            page = Feed.page("alpha", cursor, "branch.*", 1);
            cursor = page.getString("meta.next_cursor");
            pages++;
        }
        assertThat(pages).isBetween(2, 20);
        json("{\"name\":\"Filtered in " + TestData.uniquePhone() + "\"}").post("/api/developer/branches?phone_number_id=1")
                .then().statusCode(201);
        Feed.Read read = Feed.until("alpha", cursor, "branch.*", r -> !r.events().isEmpty());
        assertThat(read.events()).extracting(e -> e.get("type")).contains("branch.created");
    }

    @Test
    void thePurgeDeletesOnlyEventsPastTheRetention() {
        String start = Feed.end("alpha");
        long aged = create("{\"name\":\"Aged\",\"phone\":\"+" + TestData.uniquePhone() + "\"}");
        long fresh = create("{\"name\":\"Fresh\",\"phone\":\"+" + TestData.uniquePhone() + "\"}");
        Feed.until("alpha", start, null, r -> r.matching(e -> Feed.aboutContact(e, fresh)).size() == 1);
        DatabaseSessions.query("update events set created_at = now() - interval '31 days'"
                + " where workspace = 'alpha' and type = 'contact.created' and (data->'contact'->>'id')::bigint = ? returning id", aged);
        long purged = OnVertx.await(vertx, feed::purge);
        assertThat(purged).isGreaterThanOrEqualTo(1);
        Feed.Read after = Feed.drain("alpha", start, null);
        assertThat(after.matching(e -> Feed.aboutContact(e, aged))).isEmpty();
        assertThat(after.matching(e -> Feed.aboutContact(e, fresh))).hasSize(1);
    }
}
