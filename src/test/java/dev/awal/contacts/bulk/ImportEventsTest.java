package dev.awal.contacts.bulk;

import static dev.awal.contacts.bulk.ImportSupport.IMPORTS;
import static dev.awal.contacts.bulk.ImportSupport.accepted;
import static dev.awal.contacts.bulk.ImportSupport.job;
import static dev.awal.contacts.support.Api.WORKSPACE;
import static dev.awal.contacts.support.Api.inWorkspace;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.awal.contacts.imports.ImportWorker;
import dev.awal.contacts.support.TestData;
import io.quarkus.test.junit.QuarkusTest;

/** An import's end is an event of its workspace (completed and cancelled alike), and its contacts are counted in the metrics. */
@QuarkusTest
class ImportEventsTest {

    private static final String TYPE = "contact_import.completed";

    @Inject
    ImportWorker worker;

    @Test
    void aCompletedImportIsAnEventWithItsCountsAndItsContactsAreCounted() {
        String existing = TestData.uniquePhone();
        accepted(WORKSPACE, "", "name,phone\nStored," + existing + "\n");
        worker.drain();
        double createdBefore = metric("contacts_imported_total{result=\"created\"}");
        double updatedBefore = metric("contacts_imported_total{result=\"updated\"}");
        double allCreatedBefore = metric("contacts_created_total");

        int id = accepted(WORKSPACE, "", "name,phone\nNew," + TestData.uniquePhone() + "\nRenamed," + existing + "\nBad,12\n");
        worker.drain();
        job(WORKSPACE, id).body("data.status", equalTo("completed"));

        Map<String, Object> event = eventOf(id);
        assertThat(event).containsEntry("workspace", WORKSPACE);
        Map<String, Object> counts = importOf(event).get("counts") instanceof Map<?, ?> map ? cast(map) : Map.of();
        assertThat(importOf(event)).containsEntry("status", "completed").containsEntry("dry_run", false);
        assertThat(counts).containsEntry("rows_read", 3).containsEntry("created", 1).containsEntry("updated", 1)
                .containsEntry("failed", 1);
        assertThat(metric("contacts_imported_total{result=\"created\"}")).isEqualTo(createdBefore + 1);
        assertThat(metric("contacts_imported_total{result=\"updated\"}")).isEqualTo(updatedBefore + 1);
        assertThat(metric("contacts_created_total")).isEqualTo(allCreatedBefore + 1);
        // Another workspace's feed does not show it.
        assertThat(events("gamma", "other-client", "other-secret")).noneMatch(e -> id(e) == id);
    }

    @Test
    void aCancelledImportIsAnEventOnceAndADryRunCountsNoContacts() {
        int cancelled = accepted(WORKSPACE, "", "name,phone\nQueued," + TestData.uniquePhone() + "\n");
        inWorkspace(WORKSPACE).delete(IMPORTS + "/" + cancelled).then().statusCode(200).body("data.status", equalTo("cancelled"));
        dev.awal.contacts.support.Api.signedAt("test-client", "test-secret", WORKSPACE, -60).delete(IMPORTS + "/" + cancelled)
                .then().statusCode(200).body("data.status", equalTo("cancelled"));
        assertThat(importOf(eventOf(cancelled))).containsEntry("status", "cancelled");
        assertThat(events(WORKSPACE, null, null)).filteredOn(e -> id(e) == cancelled).hasSize(1);

        double before = metric("contacts_imported_total{result=\"created\"}");
        int dry = accepted(WORKSPACE, "&dry_run=true", "name,phone\nDry," + TestData.uniquePhone() + "\n");
        worker.drain();
        assertThat(importOf(eventOf(dry))).containsEntry("dry_run", true).containsEntry("status", "completed");
        assertThat(metric("contacts_imported_total{result=\"created\"}")).isEqualTo(before);
    }

    @Test
    void eachImportedContactHasItsEventAndAnUpdateNamesTheFieldsItChanged() throws InterruptedException {
        String existing = TestData.uniquePhone();
        String fresh = TestData.uniquePhone();
        accepted(WORKSPACE, "", "name,phone,email\nStored," + existing + ",stored@example.com\n");
        worker.drain();
        String after = contactEvents(null).cursor();

        accepted(WORKSPACE, "", "name,phone,email\nNew," + fresh + ",\nRenamed," + existing + ",stored@example.com\n");
        worker.drain();

        // The events of the batch's transaction show once the transactions started before it have ended.
        List<Map<String, Object>> mine = List.of();
        for (int attempt = 0; attempt < 50 && mine.size() < 2; attempt++) {
            mine = contactEvents(after).events().stream()
                    .filter(e -> List.of(existing, fresh).contains(cast((Map<?, ?>) cast((Map<?, ?>) e.get("data")).get("contact")).get("phone")))
                    .toList();
            if (mine.size() < 2) {
                Thread.sleep(100);
            }
        }
        Map<String, Map<String, Object>> byPhone = new java.util.HashMap<>();
        mine.forEach(e -> byPhone.put((String) cast((Map<?, ?>) cast((Map<?, ?>) e.get("data")).get("contact")).get("phone"), e));
        assertThat(mine).hasSize(2);
        assertThat(byPhone.get(fresh)).containsEntry("type", "contact.created");
        assertThat(cast((Map<?, ?>) byPhone.get(fresh).get("data"))).doesNotContainKey("changed");
        assertThat(byPhone.get(existing)).containsEntry("type", "contact.updated");
        // Compared with the contact before this statement: only the name differs (the e-mail was sent unchanged).
        assertThat(cast((Map<?, ?>) byPhone.get(existing).get("data"))).containsEntry("changed", List.of("name"));
    }

    private record Read(List<Map<String, Object>> events, String cursor) {
    }

    /** The workspace's contact events after {@code after} (all when null), following the cursor to the end. */
    private static Read contactEvents(String after) {
        List<Map<String, Object>> events = new java.util.ArrayList<>();
        String cursor = after;
        while (true) {
            var request = inWorkspace(WORKSPACE).queryParam("limit", 1000).queryParam("types", "contact.created,contact.updated");
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            var page = request.get("/api/developer/events").then().statusCode(200).extract().jsonPath();
            events.addAll(page.getList("data"));
            cursor = page.getString("meta.next_cursor");
            if (!page.getBoolean("meta.has_more")) {
                return new Read(events, cursor);
            }
        }
    }

    private static List<Map<String, Object>> events(String workspace, String client, String secret) {
        var request = client == null ? inWorkspace(workspace) : dev.awal.contacts.support.Api.as(client, secret, workspace);
        return request.queryParam("types", TYPE).queryParam("limit", 1000).get("/api/developer/events").then().statusCode(200)
                .extract().jsonPath().getList("data");
    }

    private static Map<String, Object> eventOf(int jobId) {
        List<Map<String, Object>> found = events(WORKSPACE, null, null).stream().filter(e -> id(e) == jobId).toList();
        assertThat(found).as("the event of import %d", jobId).hasSize(1);
        return found.get(0);
    }

    private static long id(Map<String, Object> event) {
        return ((Number) importOf(event).get("id")).longValue();
    }

    private static Map<String, Object> importOf(Map<String, Object> event) {
        return cast(cast((Map<?, ?>) event.get("data")).get("import") instanceof Map<?, ?> map ? map : Map.of());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static double metric(String series) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return text.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
