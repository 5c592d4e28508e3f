package dev.awal.contacts.events.kafka;

import static dev.awal.contacts.support.Api.inWorkspace;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads a workspace's change feed over HTTP, keeping each event as the JSON the feed sent. */
final class FeedPages {

    static final ObjectMapper JSON = new ObjectMapper();

    record Read(List<JsonNode> events, String cursor) {
    }

    private FeedPages() {
    }

    /** Every event after {@code after} (null: from the start) visible now, and the cursor after them. */
    static Read after(String workspace, String after) {
        List<JsonNode> events = new ArrayList<>();
        String cursor = after;
        while (true) {
            var request = inWorkspace(workspace).queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("after", cursor);
            }
            String body = request.get("/api/developer/events").then().statusCode(200).extract().asString();
            try {
                JsonNode page = JSON.readTree(body);
                page.get("data").forEach(events::add);
                cursor = page.get("meta").get("next_cursor").asText();
                if (!page.get("meta").get("has_more").asBoolean()) {
                    return new Read(events, cursor);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
