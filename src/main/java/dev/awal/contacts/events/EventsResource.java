package dev.awal.contacts.events;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.awal.contacts.api.ApiError;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.RequestIds;
import dev.awal.contacts.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events", description = "The change feed: every change to contacts, contact groups and branches, in order")
public class EventsResource {


    private final EventFeed feed;
    private final EventsConfig config;
    private final Caller caller;

    EventsResource(EventFeed feed, EventsConfig config, Caller caller) {
        this.feed = feed;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listEvents", summary = "Read the change feed",
            description = "The workspace's events in order, oldest first, keyset-paged: pass `meta.next_cursor` as `after` "
                    + "to read on (also when a page is empty, to poll later). Each event is listed once; an event appears "
                    + "once its transaction and every earlier-started one have ended, so a cursor never passes an event "
                    + "that commits later. With `types`, a page reads at most ten times `limit` events (at most 10,000) "
                    + "and moves past those the filter drops, so it may hold fewer than `limit` events, even none, while "
                    + "`has_more` is true: keep following `next_cursor`. Events are kept for `contacts.events.retention` "
                    + "(30 days by default; a read without `after` starts at the oldest event within it) and deleted "
                    + "within a few hours after; a cursor older than the retention plus one hour is answered 410: start "
                    + "again without `after` (and resynchronize).")
    @APIResponse(responseCode = "200", description = "A page of events",
            content = @Content(schema = @Schema(implementation = FeedResponse.class), examples = @ExampleObject(name = "page",
                    value = "{\"status\":true,\"message\":\"Events retrieved successfully\",\"data\":[{\"id\":1042,"
                            + "\"type\":\"contact.deleted\",\"workspace\":\"alpha\",\"created_at\":\"2024-01-15T10:30:00Z\","
                            + "\"data\":{\"id\":42,\"phone\":\"966501234567\",\"version\":3}}],"
                            + "\"meta\":{\"next_cursor\":\"ZXYKNzQ1CjEwNDIKMTcwNTMxNDYwMA\",\"has_more\":false,\"limit\":100}}")))
    @APIResponse(responseCode = "400", description = "A bad after, types or limit (details name it)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "limit",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Invalid value for query parameter limit\","
                            + "\"details\":{\"limit\":\"must be an integer from 1 to 1000\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "410", description = "The cursor is older than the retention; events after it may be gone",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "gone",
                    value = "{\"status\":false,\"error\":\"gone\",\"message\":\"This cursor is older than the event retention (P30D)\","
                            + "\"details\":{\"after\":\"start again without it and resynchronize\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public Uni<FeedResponse> list(
            @Parameter(description = "meta.next_cursor of the previous page; absent: from the oldest kept event") @RestQuery String after,
            @Parameter(description = "Comma-separated event types, `*` matches any characters", example = "contact.*,branch.deleted")
            @RestQuery String types,
            @Parameter(description = "Events per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1",
                    maximum = "1000", defaultValue = "100")) @RestQuery String limit) {
        return feed.read(caller.workspace(), after, types, limit).map(page -> new FeedResponse(true, "Events retrieved successfully",
                page.events(), new FeedResponse.Meta(page.next().encode(), page.hasMore(), page.limit())));
    }

    /** ISO 8601 as people write it: P30D rather than Duration's PT720H. */
    static String iso(java.time.Duration duration) {
        return duration.toSeconds() % 86_400 == 0 ? "P" + duration.toDays() + "D" : duration.toString();
    }

    /** 410 in the error envelope. */
    @ServerExceptionMapper
    public Response gone(EventFeed.Gone e, RoutingContext rc) {
        return Response.status(410).type("application/json;charset=UTF-8")
                .entity(new ApiError(false, ErrorCode.GONE.code(), "This cursor is older than the event retention (" + iso(config.retention()) + ")",
                        Map.of("after", "start again without it and resynchronize"), RequestIds.of(rc)))
                .build();
    }
}
