package dev.awal.contacts.events;

import static dev.awal.contacts.support.Api.inWorkspace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.restassured.path.json.JsonPath;

/** Reads a workspace's change feed over HTTP, as a client would. */
final class Feed {

    /** The events read and the cursor to read on with. */
    record Read(List<Map<String, Object>> events, String cursor) {
        List<Map<String, Object>> matching(Predicate<Map<String, Object>> which) {
            return events.stream().filter(which).toList();
        }
    }

    private Feed() {
    }

    static JsonPath page(String workspace, String after, String types, int limit) {
        var request = inWorkspace(workspace).queryParam("limit", limit);
        if (after != null) {
            request.queryParam("after", after);
        }
        if (types != null) {
            request.queryParam("types", types);
        }
        return request.get("/api/developer/events").then().statusCode(200).extract().jsonPath();
    }

    /** Every event after {@code after} visible now, following next_cursor until has_more is false. */
    static Read drain(String workspace, String after, String types) {
        List<Map<String, Object>> events = new ArrayList<>();
        String cursor = after;
        while (true) {
            JsonPath page = page(workspace, cursor, types, 1000);
            events.addAll(page.getList("data"));
            cursor = page.getString("meta.next_cursor");
            if (!page.getBoolean("meta.has_more")) {
                return new Read(events, cursor);
            }
        }
    }

    /** The position after every event visible now. */
    static String end(String workspace) {
        return drain(workspace, null, null).cursor();
    }

    /**
     * Reads on from {@code after} until {@code done} holds for what was read: an event shows once the
     * transactions started before its own have ended, which other tests' writes may delay a moment.
     */
    static Read until(String workspace, String after, String types, Predicate<Read> done) {
        Read read = drain(workspace, after, types);
        for (int attempt = 0; attempt < 100 && !done.test(read); attempt++) {
            pause();
            Read more = drain(workspace, read.cursor(), types);
            List<Map<String, Object>> all = new ArrayList<>(read.events());
            all.addAll(more.events());
            read = new Read(all, more.cursor());
        }
        return read;
    }

    static long id(Map<String, Object> event) {
        return ((Number) event.get("id")).longValue();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Map<String, Object> event) {
        return (Map<String, Object>) event.get("data");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> contact(Map<String, Object> event) {
        return (Map<String, Object>) data(event).get("contact");
    }

    /** Whether the event is about the contact with this id (contact events only). */
    static boolean aboutContact(Map<String, Object> event, long contactId) {
        Map<String, Object> data = data(event);
        Object contact = data.get("contact");
        Object id = contact instanceof Map<?, ?> c ? c.get("id") : data.get("id");
        return ((String) event.get("type")).startsWith("contact.") && id instanceof Number n && n.longValue() == contactId;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
