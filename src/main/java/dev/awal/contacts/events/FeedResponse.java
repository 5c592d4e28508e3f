package dev.awal.contacts.events;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A page of the change feed. */
@Schema(name = "EventFeed")
public record FeedResponse(
        @Schema(examples = "true", required = true) boolean status,
        @Schema(required = true, examples = "Events retrieved successfully") String message,
        @Schema(required = true) List<EventView> data,
        @Schema(required = true) Meta meta) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "EventFeedMeta")
    public record Meta(
            @Schema(required = true, description = "Pass as `after` to read on from here; always present, also when"
                    + " no event followed (poll with it later)", examples = "ZXYKNzQ1CjEwNDIKMTcwNTMxNDYwMA") String nextCursor,
            @Schema(required = true, description = "true when more events follow at once", examples = "false") boolean hasMore,
            @Schema(required = true, examples = "100") int limit) {
    }
}
