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

import dev.awal.contacts.api.ApiError;
import dev.awal.contacts.api.ApiListResponse;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.api.Unlinked;
import dev.awal.contacts.security.SignedRequestHandler;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/contact-groups")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contact groups", description = "Organize contacts into groups")
public class GroupResource {

    private final GroupService groups;
    private final ObjectMapper mapper;

    GroupResource(GroupService groups, ObjectMapper mapper) {
        this.groups = groups;
        this.mapper = mapper;
    }

    @GET
    @Operation(operationId = "listContactGroups", summary = "List contact groups")
    @APIResponse(responseCode = "200", description = "A page of groups")
    @APIResponse(responseCode = "400", description = "Bad query parameter value", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiListResponse<GroupView>> list(
            @Parameter(description = "Case-insensitive substring of the name") @RestQuery String search,
            @Parameter(description = "1 active, 0 inactive", schema = @Schema(enumeration = { "0", "1" })) @RestQuery String status,
            @Parameter(description = "Page number", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "1")) @RestQuery String page,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @RestQuery("per_page") String perPage,
            @RestHeader(SignedRequestHandler.DOMAIN) String workspace) {
        PageRequest paging = PageRequest.parse(page, perPage, null, null);
        Integer statusFilter = QueryParams.oneOf("status", status, 0, 1);
        return groups.list(workspace, QueryParams.search(search), statusFilter, paging)
                .map(found -> ApiListResponse.of("Contact groups retrieved successfully", found.map(GroupView::of)));
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getContactGroup", summary = "Get one contact group")
    @APIResponse(responseCode = "200", description = "The group")
    @APIResponse(responseCode = "404", description = "No such group", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiResponse<GroupView>> get(@RestPath long id, @RestHeader(SignedRequestHandler.DOMAIN) String workspace) {
        return groups.get(workspace, id).map(group -> ApiResponse.ok("Contact group retrieved successfully", GroupView.of(group)));
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "createContactGroup", summary = "Create a contact group")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupInput.Body.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = GroupInput.Body.class)) })
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "URL of the new group", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "409", description = "Name already used in this workspace (case-insensitive)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Content type not accepted", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "422", description = "Invalid fields", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiResponse<GroupView>>> create(@RestHeader(SignedRequestHandler.DOMAIN) String workspace,
            RoutingContext rc) {
        GroupInput input = GroupInput.from(InputFields.parse(ReceivedBody.of(rc), mapper), true);
        return groups.create(workspace, input).map(group -> RestResponse.ResponseBuilder
                .<ApiResponse<GroupView>>created(URI.create("/api/developer/contact-groups/" + group.id))
                .entity(ApiResponse.ok("Contact group created successfully", GroupView.of(group))).build());
    }

    @PATCH
    @Path("{id: \\d{1,18}}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "updateContactGroup", summary = "Update a contact group partially")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = GroupInput.Body.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = GroupInput.Body.class)) })
    @APIResponse(responseCode = "200", description = "The updated group")
    @APIResponse(responseCode = "404", description = "No such group", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "Name already used", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "422", description = "Invalid fields", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiResponse<GroupView>> update(@RestPath long id, @RestHeader(SignedRequestHandler.DOMAIN) String workspace,
            RoutingContext rc) {
        GroupInput input = GroupInput.from(InputFields.parse(ReceivedBody.of(rc), mapper), false);
        return groups.update(workspace, id, input)
                .map(group -> ApiResponse.ok("Contact group updated successfully", GroupView.of(group)));
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "deleteContactGroup", summary = "Delete a contact group",
            description = "Its contacts are kept and unlinked in the same transaction.")
    @APIResponse(responseCode = "200", description = "Deleted; data.unlinked_contacts tells how many contacts were unlinked")
    @APIResponse(responseCode = "404", description = "No such group", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiResponse<Unlinked>> delete(@RestPath long id, @RestHeader(SignedRequestHandler.DOMAIN) String workspace) {
        return groups.delete(workspace, id)
                .map(count -> ApiResponse.ok("Contact group deleted successfully", new Unlinked(count)));
    }
}
