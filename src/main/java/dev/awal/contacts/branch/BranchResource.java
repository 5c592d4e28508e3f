package dev.awal.contacts.branch;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
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
import dev.awal.contacts.persistence.Branch;
import dev.awal.contacts.security.Caller;
import dev.awal.contacts.storage.PublicUrls;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/branches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Branches", description = "Branches that contacts can be linked to")
public class BranchResource {

    private final BranchService branches;
    private final ObjectMapper mapper;
    private final PublicUrls urls;
    private final Caller caller;

    BranchResource(BranchService branches, ObjectMapper mapper, PublicUrls urls, Caller caller) {
        this.branches = branches;
        this.mapper = mapper;
        this.urls = urls;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listBranches", summary = "List branches",
            description = "Newest first, page by page; optionally filtered by a substring of name, manager's name or email.")
    @APIResponse(responseCode = "200", description = "A page of branches")
    @APIResponse(responseCode = "400", description = "A query parameter has a bad value (details names it)")
    public Uni<ApiListResponse<BranchView>> list(
            @Parameter(description = "Case-insensitive substring of name, manager's name or email") @RestQuery String search,
            @Parameter(description = "Page number",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "1000000", defaultValue = "1")) @RestQuery String page,
            @Parameter(description = "Branches per page",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "100", defaultValue = "20")) @RestQuery("per_page") String perPage,
            @Context HttpServerRequest request) {
        PageRequest paging = PageRequest.parse(page, perPage, null, null);
        return branches.list(caller.workspace(), QueryParams.search(search), paging)
                .map(found -> ApiListResponse.of("Branches retrieved successfully", found.map(branch -> view(branch, request))));
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getBranch", summary = "Get one branch", description = "With the URL of its file, if it has one.")
    @APIResponse(responseCode = "200", description = "The branch", headers = @Header(name = "ETag", description = "The branch's version; changes on every update", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No branch with this id in the workspace")
    public Uni<RestResponse<ApiResponse<BranchView>>> get(@Parameter(description = "The branch's id") @RestPath long id,
            @Context HttpServerRequest request) {
        return branches.get(caller.workspace(), id).map(branch -> withETag(branch.etag(),
                ApiResponse.ok("Branch retrieved successfully", view(branch, request))));
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "createBranch", summary = "Create a branch",
            description = "JSON, urlencoded or multipart. An optional multipart `file` (JPG, PNG or PDF, at most 10 MB) is stored and returned as `file_url`.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BranchInput.Body.class),
                    examples = @ExampleObject(name = "minimal", summary = "Name and email",
                            value = "{\"name\": \"Riyadh Olaya\", \"email\": \"olaya@example.com\", \"full_name\": \"Sara Al-Harbi\"}")),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = BranchInput.Body.class),
                    examples = @ExampleObject(name = "minimal", value = "{\"name\": \"Riyadh Olaya\", \"email\": \"olaya@example.com\"}")),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = BranchInput.Multipart.class),
                    examples = @ExampleObject(name = "minimal", value = "{\"name\": \"Riyadh Olaya\", \"email\": \"olaya@example.com\"}")) })
    @APIResponse(responseCode = "201", description = "Created; the body is the new branch",
            content = @Content(schema = @Schema(ref = "ApiResponseBranchView")),
            headers = {
                    @Header(name = "Location", description = "URL of the new branch", required = true, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ETag", description = "The branch's version", required = true, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = "Malformed body, a wrong JSON type (details names the field), or phone_number_id missing or not digits")
    @APIResponse(responseCode = "413", description = "Body over the limit, or a file over 10 MB")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message), including a file that is not an intact JPG, PNG or PDF")
    @APIResponse(responseCode = "503", description = "Database or object storage unavailable; retry after Retry-After seconds")
    public Uni<RestResponse<ApiResponse<BranchView>>> create(
            @Parameter(description = "The workspace's WhatsApp sender number id the branch belongs to (digits)", required = true, example = "109876543210")
            @RestQuery("phone_number_id") String phoneNumberId,
            RoutingContext rc) {
        String senderId = QueryParams.phoneNumberId(phoneNumberId);
        BranchInput input = parse(rc, true);
        return branches.create(caller.workspace(), senderId, input).map(branch -> RestResponse.ResponseBuilder
                .<ApiResponse<BranchView>>created(URI.create("/api/developer/branches/" + branch.id))
                .entity(ApiResponse.ok("Branch created successfully", view(branch, rc.request())))
                .header("ETag", branch.etag()).build());
    }

    @PATCH
    @Path("{id: \\d{1,18}}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "updateBranch", summary = "Update a branch partially",
            description = "Only the fields sent change; JSON null (or an empty form value) for contact_group_id unlinks. A multipart `file` replaces the current one.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BranchInput.Body.class),
                    examples = @ExampleObject(name = "new manager", value = "{\"full_name\": \"Noura Al-Qahtani\"}")),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = BranchInput.Body.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = BranchInput.Multipart.class)) })
    @APIResponse(responseCode = "200", description = "The whole updated branch", headers = @Header(name = "ETag", description = "The branch's version; changes on every update", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "412", description = "If-Match does not match the branch's current ETag; nothing changed")
    @APIResponse(responseCode = "400", description = "Malformed body or a wrong JSON type (details names the field)")
    @APIResponse(responseCode = "404", description = "No branch with this id in the workspace")
    @APIResponse(responseCode = "413", description = "Body over the limit, or a file over 10 MB")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message)")
    @APIResponse(responseCode = "503", description = "Database or object storage unavailable; retry after Retry-After seconds")
    public Uni<RestResponse<ApiResponse<BranchView>>> update(@Parameter(description = "The branch's id") @RestPath long id,
            @Parameter(description = "An ETag from an earlier answer: a stale one is 412 and nothing changes") @RestHeader("If-Match") String ifMatch, RoutingContext rc) {
        BranchInput input = parse(rc, false);
        return branches.update(caller.workspace(), id, ifMatch, input)
                .map(branch -> withETag(branch.etag(), ApiResponse.ok("Branch updated successfully", view(branch, rc.request()))));
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "deleteBranch", summary = "Delete a branch",
            description = "Its contacts are kept and unlinked in the same transaction; its file is deleted.")
    @APIResponse(responseCode = "200", description = "Deleted; data.unlinked_contacts tells how many contacts were unlinked")
    @APIResponse(responseCode = "404", description = "No branch with this id in the workspace")
    @APIResponse(responseCode = "412", description = "If-Match does not match the branch's current ETag; nothing was deleted")
    public Uni<ApiResponse<Unlinked>> delete(@Parameter(description = "The branch's id") @RestPath long id,
            @Parameter(description = "An ETag from an earlier answer: a stale one is 412 and nothing changes") @RestHeader("If-Match") String ifMatch) {
        return branches.delete(caller.workspace(), id, ifMatch).map(count -> ApiResponse.ok("Branch deleted successfully", new Unlinked(count)));
    }

    private BranchInput parse(RoutingContext rc, boolean create) {
        ReceivedBody body = ReceivedBody.of(rc);
        return BranchInput.from(InputFields.parse(body, mapper), body.files(), create);
    }

    private BranchView view(Branch branch, HttpServerRequest request) {
        return BranchView.of(branch, urls.of(branch.fileKey, request));
    }

    private static <T> RestResponse<T> withETag(String etag, T body) {
        return RestResponse.ResponseBuilder.ok(body).header("ETag", etag).build();
    }
}
