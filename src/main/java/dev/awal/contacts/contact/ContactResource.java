package dev.awal.contacts.contact;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
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
import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ApiListResponse;
import dev.awal.contacts.api.ApiMessage;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;
import dev.awal.contacts.media.MediaSource;
import dev.awal.contacts.security.SignedRequestHandler;
import dev.awal.contacts.storage.PublicUrls;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts", description = "Contacts with search, filters, sorting, page and cursor paging")
public class ContactResource {

    private final ContactService contacts;
    private final ObjectMapper mapper;
    private final PublicUrls urls;

    ContactResource(ContactService contacts, ObjectMapper mapper, PublicUrls urls) {
        this.contacts = contacts;
        this.mapper = mapper;
        this.urls = urls;
    }

    @GET
    @Operation(operationId = "listContacts", summary = "List contacts",
            description = "Search (Arabic-aware, case-insensitive substring over name, full name and email; digit "
                    + "substring over phone), filter, sort and page. Pass `cursor` from `meta.next_cursor` for keyset paging.")
    @APIResponse(responseCode = "200", description = "A page of contacts")
    @APIResponse(responseCode = "400", description = "Bad query parameter value or forged cursor",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiListResponse<ContactView>> list(
            @Parameter(description = "Search term", example = "احمد") @RestQuery String search,
            @Parameter(description = "Alias of search") @RestQuery String searchTerm,
            @Parameter(description = "Only contacts of this group", schema = @Schema(type = SchemaType.INTEGER)) @RestQuery("contact_group_id") String groupId,
            @Parameter(description = "Only contacts of this branch", schema = @Schema(type = SchemaType.INTEGER)) @RestQuery("branch_id") String branchId,
            @Parameter(description = "Only favorites (true) or non-favorites (false)", schema = @Schema(type = SchemaType.BOOLEAN)) @RestQuery("is_favorite") String favorite,
            @Parameter(description = "Only contacts of this WhatsApp sender number") @RestQuery("phone_number_id") String phoneNumberId,
            @Parameter(description = "Sort order; prefix with - for descending",
                    schema = @Schema(enumeration = { "created_at", "-created_at", "name", "-name", "updated_at", "-updated_at" },
                            defaultValue = "-created_at")) @RestQuery String sort,
            @Parameter(description = "Page number (page mode)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", defaultValue = "1")) @RestQuery String page,
            @Parameter(description = "Page size", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100", defaultValue = "20")) @RestQuery("per_page") String perPage,
            @Parameter(description = "Opaque keyset cursor from meta.next_cursor (cursor mode)") @RestQuery String cursor,
            @RestHeader(SignedRequestHandler.DOMAIN) String workspace,
            @Context HttpServerRequest request) {
        ContactFilter filter = ContactFilter.parse(search != null ? search : searchTerm, groupId, branchId, favorite,
                phoneNumberId, sort);
        PageRequest paging = PageRequest.parse(page, perPage, cursor, filter.sortParam());
        return contacts.list(workspace, filter, paging)
                .map(found -> ApiListResponse.of("Contacts retrieved successfully", found.map(contact -> view(contact, request))));
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getContact", summary = "Get one contact")
    @APIResponse(responseCode = "200", description = "The contact", headers = @Header(name = "ETag", description = "Changes on every update", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No such contact in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiResponse<ContactView>>> get(@RestPath long id,
            @RestHeader(SignedRequestHandler.DOMAIN) String workspace,
            @Parameter(description = "Answer 304 when the contact still has this ETag") @RestHeader("If-None-Match") String ifNoneMatch,
            @Context HttpServerRequest request) {
        return contacts.get(workspace, id).map(contact -> {
            if (contact.etag().equals(ifNoneMatch)) {
                return RestResponse.ResponseBuilder.<ApiResponse<ContactView>>notModified()
                        .header("ETag", contact.etag()).build();
            }
            return RestResponse.ResponseBuilder.ok(ApiResponse.ok("Contact retrieved successfully", view(contact, request)))
                    .header("ETag", contact.etag()).build();
        });
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "createContact", summary = "Create a contact",
            description = "Accepts JSON, urlencoded and multipart forms. The phone is normalized to international digits and must be unique in the workspace. "
                    + "An avatar comes as a multipart `file` (JPEG or PNG, at most 5 MB) or as an `avatar` URL the service downloads; not both.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactForms.CreateJson.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = ContactForms.CreateForm.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = ContactForms.CreateMultipart.class)) })
    @APIResponse(responseCode = "201", description = "Created", headers = {
            @Header(name = "Location", description = "URL of the new contact", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "ETag", description = "The contact's current version", schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "409", description = "The phone number already belongs to a contact (details.existing_contact_id)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body too large", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Content type not accepted", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "422", description = "Invalid fields (details per field), including an avatar that is not an intact JPEG or PNG",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Object storage unavailable; retry after Retry-After seconds",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiResponse<ContactView>>> create(
            @Parameter(description = "The workspace's WhatsApp sender number id the contact belongs to", required = true, example = "109876543210")
            @RestQuery("phone_number_id") String phoneNumberId,
            @RestHeader(SignedRequestHandler.DOMAIN) String workspace,
            RoutingContext rc) {
        String senderId = QueryParams.phoneNumberId(phoneNumberId);
        ContactInput input = parse(rc, true);
        return contacts.create(workspace, senderId, input)
                .map(contact -> RestResponse.ResponseBuilder
                        .<ApiResponse<ContactView>>created(URI.create("/api/developer/contacts/" + contact.id))
                        .entity(ApiResponse.ok("Contact created successfully", view(contact, rc.request())))
                        .header("ETag", contact.etag()).build());
    }

    @PATCH
    @Path("{id: \\d{1,18}}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "updateContact", summary = "Update a contact partially",
            description = "Only the fields sent change. An empty string or JSON null for branch_id / contact_group_id unlinks. "
                    + "A multipart `file` or an `avatar` URL replaces the avatar.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactForms.UpdateJson.class)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = ContactForms.UpdateForm.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = ContactForms.UpdateMultipart.class)) })
    @APIResponse(responseCode = "200", description = "The updated contact", headers = @Header(name = "ETag", description = "The new version", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "Phone taken by another contact", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Body too large", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Content type not accepted", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "422", description = "Invalid fields", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Object storage unavailable; retry after Retry-After seconds",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiResponse<ContactView>>> update(@RestPath long id,
            @RestHeader(SignedRequestHandler.DOMAIN) String workspace,
            @Parameter(description = "Apply only if the contact still has this ETag") @RestHeader("If-Match") String ifMatch,
            RoutingContext rc) {
        ContactInput input = parse(rc, false);
        return contacts.update(workspace, id, ifMatch, input)
                .map(contact -> RestResponse.ResponseBuilder.ok(ApiResponse.ok("Contact updated successfully", view(contact, rc.request())))
                        .header("ETag", contact.etag()).build());
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "deleteContact", summary = "Delete a contact permanently")
    @APIResponse(responseCode = "200", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "412", description = "If-Match does not match the current ETag", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<ApiMessage> delete(@RestPath long id, @RestHeader(SignedRequestHandler.DOMAIN) String workspace,
            @Parameter(description = "Delete only if the contact still has this ETag") @RestHeader("If-Match") String ifMatch) {
        return contacts.delete(workspace, id, ifMatch).map(deleted -> ApiMessage.ok("Contact deleted successfully"));
    }

    @PUT
    @Path("{id: \\d{1,18}}/avatar")
    @Consumes({ "image/jpeg", "image/png" })
    @Operation(operationId = "replaceContactAvatar", summary = "Replace the avatar with the raw image in the body",
            description = "The body is the image itself (JPEG or PNG, at most 5 MB), signed like any body. The type is "
                    + "taken from the bytes; metadata is stripped before storage. The previous avatar is deleted.")
    @RequestBody(required = true, content = {
            @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    @APIResponse(responseCode = "200", description = "The contact with its new avatar URL", headers = @Header(name = "ETag", description = "The new version", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "413", description = "Image over 5 MB", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "415", description = "Content type is not image/jpeg or image/png", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "422", description = "Not an intact JPEG or PNG, or over 40 megapixels (details.file)",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Object storage unavailable; retry after Retry-After seconds",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiResponse<ContactView>>> replaceAvatar(@RestPath long id,
            @RestHeader(SignedRequestHandler.DOMAIN) String workspace, RoutingContext rc) {
        UploadedFile image = ReceivedBody.of(rc).files().stream().findFirst()
                .orElseThrow(() -> ApiException.badRequest("The request body is empty"));
        return contacts.replaceAvatar(workspace, id, new MediaSource.Received(image.path()))
                .map(contact -> RestResponse.ResponseBuilder.ok(ApiResponse.ok("Avatar updated successfully", view(contact, rc.request())))
                        .header("ETag", contact.etag()).build());
    }

    @DELETE
    @Path("{id: \\d{1,18}}/avatar")
    @Operation(operationId = "deleteContactAvatar", summary = "Remove the avatar", description = "The stored image is deleted too.")
    @APIResponse(responseCode = "200", description = "The contact, avatar null", headers = @Header(name = "ETag", description = "The new version", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No such contact", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Uni<RestResponse<ApiResponse<ContactView>>> deleteAvatar(@RestPath long id,
            @RestHeader(SignedRequestHandler.DOMAIN) String workspace, @Context HttpServerRequest request) {
        return contacts.removeAvatar(workspace, id)
                .map(contact -> RestResponse.ResponseBuilder.ok(ApiResponse.ok("Avatar deleted successfully", view(contact, request)))
                        .header("ETag", contact.etag()).build());
    }

    private ContactInput parse(RoutingContext rc, boolean create) {
        ReceivedBody body = ReceivedBody.of(rc);
        return ContactInput.from(InputFields.parse(body, mapper), body.files(), create);
    }

    private ContactView view(Contact contact, HttpServerRequest request) {
        return ContactView.of(contact, urls.of(contact.avatarKey, request));
    }

}
