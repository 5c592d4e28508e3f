package dev.awal.contacts.group;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.api.ApiListResponse;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.api.Unlinked;
import dev.awal.contacts.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/contact-groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contact groups", description = "Organize contacts into groups")
public class GroupResource {

    private final GroupService groups;
    private final ObjectMapper mapper;
    private final Caller caller;

    GroupResource(GroupService groups, ObjectMapper mapper, Caller caller) {
        this.groups = groups;
        this.mapper = mapper;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listContactGroups", summary = "List contact groups",
            description = "Newest first, page by page; optionally filtered by a name substring and by status.")
    @APIResponse(responseCode = "200", description = "A page of groups")
    @APIResponse(responseCode = "400", description = "A query parameter has a bad value (details names it)")
    public Uni<ApiListResponse<GroupView>> list(
            @Parameter(description = "Case-insensitive substring of the group name") @RestQuery String search,
            @Parameter(description = "Only active (1) or only inactive (0) groups",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", enumeration = { "0", "1" })) @RestQuery String status,
            @Parameter(description = "Page number",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "1000000", defaultValue = "1")) @RestQuery String page,
            @Parameter(description = "Groups per page",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "100", defaultValue = "20")) @RestQuery("per_page") String perPage) {
        PageRequest paging = PageRequest.parse(page, perPage, null, null);
        Integer statusFilter = QueryParams.oneOf("status", status, 0, 1);
        return groups.list(caller.workspace(), QueryParams.search(search), statusFilter, paging)
                .map(found -> ApiListResponse.of("Contact groups retrieved successfully", found.map(GroupView::of)));
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getContactGroup", summary = "Get one contact group",
            description = "With the number of contacts currently linked to it.")
    @APIResponse(responseCode = "200", description = "The group", headers = @Header(name = "ETag", description = "The group's version; changes on every update", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No contact group with this id in the workspace")
    public Uni<RestResponse<ApiResponse<GroupView>>> get(@Parameter(description = "The group's id") @RestPath long id) {
        return groups.get(caller.workspace(), id).map(group -> withETag(group.etag(),
                ApiResponse.ok("Contact group retrieved successfully", GroupView.of(group))));
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "createContactGroup", summary = "Create a contact group",
            description = "JSON, or the same fields as a urlencoded or multipart form. The name must be unique in the workspace, ignoring case.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupInput.Body.class),
                    examples = @ExampleObject(name = "active group", value = "{\"name\": \"VIP\", \"status\": 1}")),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = GroupInput.Body.class),
                    examples = @ExampleObject(name = "active group", value = "{\"name\": \"VIP\", \"status\": 1}")),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = GroupInput.Body.class),
                    examples = @ExampleObject(name = "active group", value = "{\"name\": \"VIP\", \"status\": 1}")) })
    @APIResponse(responseCode = "201", description = "Created; the body is the new group",
            content = @Content(schema = @Schema(ref = "ApiResponseGroupView")),
            headers = {
                    @Header(name = "Location", description = "URL of the new group", required = true, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ETag", description = "The group's version", required = true, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = "Malformed body or a wrong JSON type (details names the field)")
    @APIResponse(responseCode = "409", description = "The name is already used in this workspace (case-insensitive)")
    @APIResponse(responseCode = "413", description = "Body over the limit")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message)")
    public Uni<RestResponse<ApiResponse<GroupView>>> create(RoutingContext rc) {
        GroupInput input = GroupInput.from(InputFields.parse(ReceivedBody.of(rc), mapper), true);
        return groups.create(caller.workspace(), input).map(group -> RestResponse.ResponseBuilder
                .<ApiResponse<GroupView>>created(URI.create("/api/developer/contact-groups/" + group.id))
                .entity(ApiResponse.ok("Contact group created successfully", GroupView.of(group)))
                .header("ETag", group.etag()).build());
    }

    @PATCH
    @Path("{id: \\d{1,18}}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "updateContactGroup", summary = "Update a contact group partially",
            description = "Only the fields sent change.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupInput.Body.class),
                    examples = @ExampleObject(name = "deactivate", value = "{\"status\": 0}")),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = GroupInput.Body.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = GroupInput.Body.class)) })
    @APIResponse(responseCode = "200", description = "The updated group", headers = @Header(name = "ETag", description = "The group's version; changes on every update", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "412", description = "If-Match does not match the group's current ETag; nothing changed")
    @APIResponse(responseCode = "400", description = "Malformed body or a wrong JSON type (details names the field)")
    @APIResponse(responseCode = "404", description = "No contact group with this id in the workspace")
    @APIResponse(responseCode = "409", description = "The name is already used in this workspace (case-insensitive)")
    @APIResponse(responseCode = "413", description = "Body over the limit")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message)")
    public Uni<RestResponse<ApiResponse<GroupView>>> update(@Parameter(description = "The group's id") @RestPath long id,
            @Parameter(description = "An ETag from an earlier answer: a stale one is 412 and nothing changes") @RestHeader("If-Match") String ifMatch, RoutingContext rc) {
        GroupInput input = GroupInput.from(InputFields.parse(ReceivedBody.of(rc), mapper), false);
        return groups.update(caller.workspace(), id, ifMatch, input)
                .map(group -> withETag(group.etag(), ApiResponse.ok("Contact group updated successfully", GroupView.of(group))));
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "deleteContactGroup", summary = "Delete a contact group",
            description = "Its contacts are kept and unlinked in the same transaction.")
    @APIResponse(responseCode = "200", description = "Deleted; data.unlinked_contacts tells how many contacts were unlinked")
    @APIResponse(responseCode = "404", description = "No contact group with this id in the workspace")
    @APIResponse(responseCode = "412", description = "If-Match does not match the group's current ETag; nothing was deleted")
    public Uni<ApiResponse<Unlinked>> delete(@Parameter(description = "The group's id") @RestPath long id,
            @Parameter(description = "An ETag from an earlier answer: a stale one is 412 and nothing changes") @RestHeader("If-Match") String ifMatch) {
        return groups.delete(caller.workspace(), id, ifMatch)
                .map(count -> ApiResponse.ok("Contact group deleted successfully", new Unlinked(count)));
    }

    private static <T> RestResponse<T> withETag(String etag, T body) {
        return RestResponse.ResponseBuilder.ok(body).header("ETag", etag).build();
    }
}
