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

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ApiListResponse;
import dev.awal.contacts.api.ApiMessage;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;
import dev.awal.contacts.attributes.AttributeChanges;
import dev.awal.contacts.attributes.AttributeQuery;
import dev.awal.contacts.media.MediaSource;
import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.ContactFilter;
import dev.awal.contacts.security.Caller;
import dev.awal.contacts.storage.PublicUrls;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts", description = "Contacts with search, filters, sorting, page and cursor paging")
public class ContactResource {

    private final ContactService contacts;
    private final ContactReads reads;
    private final ObjectMapper mapper;
    private final PublicUrls urls;
    private final Caller caller;

    ContactResource(ContactService contacts, ContactReads reads, ObjectMapper mapper, PublicUrls urls, Caller caller) {
        this.contacts = contacts;
        this.reads = reads;
        this.mapper = mapper;
        this.urls = urls;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listContacts", summary = "List contacts",
            description = "Search (Arabic-aware, case-insensitive substring over name, full name and email; digit "
                    + "substring over phone), filter, sort and page. Page mode (`page`, `per_page`) counts the matches; "
                    + "cursor mode (`cursor` from `meta.next_cursor`) pages by keyset and skips counting.\n\n"
                    + "**Custom attribute filters** (query parameters in deepObject form, combinable with every other filter and "
                    + "search): `attributes[tier]=gold,silver` (equals any of the comma-separated values), "
                    + "`attributes[orders][gte]=3` (also `lte`, `gt`, `lt`; numbers, dates and datetimes), "
                    + "`attributes[vip][exists]=true|false`; for example "
                    + "`GET /api/developer/contacts?attributes[tier]=gold&attributes[orders][gte]=3&sort=-attributes.orders`. "
                    + "An attribute the workspace does not define is 400 naming the parameter. They are described here rather "
                    + "than as a parameter object because OpenAPI Generator's Java clients cannot compile a free-form deepObject "
                    + "parameter (OpenAPITools/openapi-generator#16183); send them as extra query parameters.")
    @APIResponse(responseCode = "200", description = "A page of contacts")
    @APIResponse(responseCode = "400", description = "A query parameter has a bad value (details names it), an attribute filter or sort names an attribute the workspace "
            + "does not define, or the cursor is not one the service issued")
    public Uni<ApiListResponse<ContactView>> list(
            @Parameter(description = "Search term: substring of name, full name or email (Arabic-folded, case-insensitive); its digits also match the phone",
                    example = "احمد") @RestQuery String search,
            @Parameter(description = "Alias of `search` (AwalChat's name); `search` wins when both are sent") @RestQuery String searchTerm,
            @Parameter(description = "Only contacts linked to this contact group",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64")) @RestQuery("contact_group_id") String groupId,
            @Parameter(description = "Only contacts linked to this branch",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64")) @RestQuery("branch_id") String branchId,
            @Parameter(description = "Only favorites (true) or only non-favorites (false)",
                    schema = @Schema(type = SchemaType.BOOLEAN)) @RestQuery("is_favorite") String favorite,
            @Parameter(description = "Only contacts of this WhatsApp sender number id") @RestQuery("phone_number_id") String phoneNumberId,
            @Parameter(description = "Sort order; a leading `-` sorts descending. `attributes.<key>` sorts by a custom attribute: "
                    + "contacts with a value first, in value order, then those without one (by id, in either direction)",
                    schema = @Schema(type = SchemaType.STRING, pattern = "^-?(created_at|name|updated_at|attributes\\.[a-z][a-z0-9_]{0,63})$",
                            defaultValue = "-created_at")) @RestQuery String sort,
            @Parameter(description = "Page number (page mode); not with `cursor`",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "1000000", defaultValue = "1")) @RestQuery String page,
            @Parameter(description = "Contacts per page",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "100", defaultValue = "20")) @RestQuery("per_page") String perPage,
            @Parameter(description = "Opaque keyset cursor from `meta.next_cursor` of the previous page (cursor mode)") @RestQuery String cursor,
            @Context HttpServerRequest request) {
        AttributeQuery attributes = AttributeQuery.parse(request.params(), sort);
        ContactFilter filter = ContactFilter.parse(search != null ? search : searchTerm, groupId, branchId, favorite,
                phoneNumberId, attributes.sorts() ? null : sort);
        PageRequest paging = PageRequest.parse(page, perPage, cursor, attributes.sorts() ? attributes.sortParam() : filter.sortParam());
        return contacts.list(caller.workspace(), filter, attributes, paging)
                .map(found -> ApiListResponse.of("Contacts retrieved successfully", found.map(contact -> view(contact, request))));
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getContact", summary = "Get one contact",
            description = "The answer carries an `ETag`; send it back as `If-None-Match` to get 304 while the contact is unchanged, "
                    + "or as `If-Match` on PATCH / DELETE to refuse lost updates.")
    @APIResponse(responseCode = "200", description = "The contact",
            headers = @Header(name = "ETag", description = "The contact's version; changes on every update", required = true,
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "Not modified: the contact still has the `If-None-Match` ETag (no body)",
            headers = @Header(name = "ETag", description = "The contact's current version", required = true,
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No contact with this id in the workspace")
    public Uni<RestResponse<ApiResponse<ContactView>>> get(
            @Parameter(description = "The contact's id") @RestPath long id,
            @Parameter(description = "An ETag from an earlier answer: 304 without a body while the contact still has it")
            @RestHeader("If-None-Match") String ifNoneMatch,
            @Context HttpServerRequest request) {
        return reads.find(caller.workspace(), id, key -> urls.of(key, request))
                .map(found -> {
                    if (found == null) {
                        throw ApiException.notFound("Contact");
                    }
                    if (EntityTags.notModified(ifNoneMatch, found.etag())) {
                        return RestResponse.ResponseBuilder.<ApiResponse<ContactView>>notModified()
                                .header("ETag", found.etag()).build();
                    }
                    return RestResponse.ResponseBuilder.ok(ApiResponse.ok("Contact retrieved successfully", found.view()))
                            .header("ETag", found.etag()).build();
                });
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "createContact", summary = "Create a contact",
            description = "Accepts JSON, urlencoded and multipart forms. The phone is normalized to international digits and must be unique in the workspace. "
                    + "An avatar comes as a multipart `file` (JPEG or PNG, at most 5 MB) or as an `avatar` URL the service downloads; not both. "
                    + "A wrong JSON type (`\"name\": 123`, `\"branch_id\": \"abc\"`) is 400; a well-typed value that breaks a field rule is 422.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactForms.CreateJson.class),
                    examples = @ExampleObject(name = "minimal", summary = "Name, phone and email",
                            value = "{\"name\": \"أحمد\", \"phone\": \"+966 50 123 4567\", \"email\": \"ahmed@example.com\", \"is_favorite\": false}")),
            // The form examples keep Swagger UI from pre-filling ids and an avatar URL that do not exist yet.
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = ContactForms.CreateForm.class),
                    examples = @ExampleObject(name = "minimal", value = "{\"name\": \"أحمد\", \"phone\": \"+966 50 123 4567\"}")),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = ContactForms.CreateMultipart.class),
                    examples = @ExampleObject(name = "minimal", value = "{\"name\": \"أحمد\", \"phone\": \"+966 50 123 4567\"}")) })
    @APIResponse(responseCode = "201", description = "Created; the body is the new contact",
            content = @Content(schema = @Schema(ref = "ApiResponseContactView")),
            headers = {
                    @Header(name = "Location", description = "URL of the new contact", required = true, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ETag", description = "The contact's version", required = true, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = "Malformed body or a wrong JSON type (details names the field)")
    @APIResponse(responseCode = "409", description = "The phone number already belongs to a contact of this workspace (details.existing_contact_id)")
    @APIResponse(responseCode = "413", description = "Body over the limit, or an avatar file over 5 MB")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message), including an avatar that is not an intact JPEG or PNG, "
            + "an avatar URL that cannot be fetched, a branch or group id that does not exist in the workspace, or phone_number_id "
            + "missing or not digits")
    @APIResponse(responseCode = "503", description = "Database or object storage unavailable; retry after Retry-After seconds")
    public Uni<RestResponse<ApiResponse<ContactView>>> create(
            @Parameter(description = "The workspace's WhatsApp sender number id the contact belongs to (digits)", required = true, example = "109876543210")
            @RestQuery("phone_number_id") String phoneNumberId,
            RoutingContext rc) {
        String senderId = QueryParams.phoneNumberId(phoneNumberId);
        ContactInput input = parse(rc, true);
        return contacts.create(caller.workspace(), senderId, input)
                .map(contact -> RestResponse.ResponseBuilder
                        .<ApiResponse<ContactView>>created(URI.create("/api/developer/contacts/" + contact.id))
                        .entity(ApiResponse.ok("Contact created successfully", view(contact, rc.request())))
                        .header("ETag", contact.etag()).build());
    }

    @PATCH
    @Path("{id: \\d{1,18}}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "updateContact", summary = "Update a contact partially",
            description = "Only the fields sent change. JSON null (or an empty form value) for branch_id / contact_group_id unlinks. "
                    + "A multipart `file` or an `avatar` URL replaces the avatar. With `If-Match`, a stale ETag is 412 and nothing changes.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ContactForms.UpdateJson.class),
                    examples = @ExampleObject(name = "rename and unlink", summary = "Change the name, leave the group",
                            value = "{\"name\": \"أحمد علي\", \"contact_group_id\": null}")),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = ContactForms.UpdateForm.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = ContactForms.UpdateMultipart.class)) })
    @APIResponse(responseCode = "200", description = "The whole updated contact",
            headers = @Header(name = "ETag", description = "The new version", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Malformed body or a wrong JSON type (details names the field)")
    @APIResponse(responseCode = "404", description = "No contact with this id in the workspace")
    @APIResponse(responseCode = "409", description = "The phone number belongs to another contact of this workspace (details.existing_contact_id)")
    @APIResponse(responseCode = "412", description = "If-Match does not match the contact's current ETag; nothing changed")
    @APIResponse(responseCode = "413", description = "Body over the limit, or an avatar file over 5 MB")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message)")
    @APIResponse(responseCode = "503", description = "Database or object storage unavailable; retry after Retry-After seconds")
    public Uni<RestResponse<ApiResponse<ContactView>>> update(
            @Parameter(description = "The contact's id") @RestPath long id,
            @Parameter(description = "Apply only if the contact still has this ETag (else 412)") @RestHeader("If-Match") String ifMatch,
            RoutingContext rc) {
        ContactInput input = parse(rc, false);
        return contacts.update(caller.workspace(), id, ifMatch, input)
                .map(contact -> RestResponse.ResponseBuilder.ok(ApiResponse.ok("Contact updated successfully", view(contact, rc.request())))
                        .header("ETag", contact.etag()).build());
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "deleteContact", summary = "Delete a contact permanently",
            description = "Its avatar is deleted too. With `If-Match`, a stale ETag is 412 and nothing is deleted.")
    @APIResponse(responseCode = "200", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No contact with this id in the workspace")
    @APIResponse(responseCode = "412", description = "If-Match does not match the contact's current ETag; nothing deleted")
    public Uni<ApiMessage> delete(@Parameter(description = "The contact's id") @RestPath long id,
            @Parameter(description = "Delete only if the contact still has this ETag (else 412)") @RestHeader("If-Match") String ifMatch) {
        return contacts.delete(caller.workspace(), id, ifMatch).map(deleted -> ApiMessage.ok("Contact deleted successfully"));
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
    @APIResponse(responseCode = "200", description = "The contact with its new avatar URL",
            headers = @Header(name = "ETag", description = "The new version", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "The body is empty")
    @APIResponse(responseCode = "404", description = "No contact with this id in the workspace")
    @APIResponse(responseCode = "412", description = "If-Match does not match the contact's current ETag; nothing changed")
    @APIResponse(responseCode = "413", description = "Image over 5 MB")
    @APIResponse(responseCode = "415", description = "Content type is not image/jpeg or image/png")
    @APIResponse(responseCode = "422", description = "Not an intact JPEG or PNG, or over 40 megapixels (details.file)")
    @APIResponse(responseCode = "503", description = "Database or object storage unavailable; retry after Retry-After seconds")
    public Uni<RestResponse<ApiResponse<ContactView>>> replaceAvatar(
            @Parameter(description = "The contact's id") @RestPath long id,
            @Parameter(description = "Replace only if the contact still has this ETag (else 412)") @RestHeader("If-Match") String ifMatch,
            RoutingContext rc) {
        UploadedFile image = ReceivedBody.of(rc).files().stream().findFirst()
                .orElseThrow(() -> ApiException.badRequest("The request body is empty"));
        return contacts.replaceAvatar(caller.workspace(), id, new MediaSource.Received(image.path()), ifMatch)
                .map(contact -> RestResponse.ResponseBuilder.ok(ApiResponse.ok("Avatar updated successfully", view(contact, rc.request())))
                        .header("ETag", contact.etag()).build());
    }

    @DELETE
    @Path("{id: \\d{1,18}}/avatar")
    @Operation(operationId = "deleteContactAvatar", summary = "Remove the avatar", description = "The stored image is deleted too.")
    @APIResponse(responseCode = "200", description = "The contact, avatar null",
            headers = @Header(name = "ETag", description = "The new version", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No contact with this id in the workspace")
    @APIResponse(responseCode = "412", description = "If-Match does not match the contact's current ETag; nothing changed")
    public Uni<RestResponse<ApiResponse<ContactView>>> deleteAvatar(
            @Parameter(description = "The contact's id") @RestPath long id,
            @Parameter(description = "Remove only if the contact still has this ETag (else 412)") @RestHeader("If-Match") String ifMatch,
            @Context HttpServerRequest request) {
        return contacts.removeAvatar(caller.workspace(), id, ifMatch)
                .map(contact -> RestResponse.ResponseBuilder.ok(ApiResponse.ok("Avatar deleted successfully", view(contact, request)))
                        .header("ETag", contact.etag()).build());
    }

    private ContactInput parse(RoutingContext rc, boolean create) {
        ReceivedBody body = ReceivedBody.of(rc);
        InputFields fields = InputFields.parse(body, mapper);
        ContactInput input = ContactInput.from(fields, body.files(), create);
        // Attributes are read with their own number rules (a second parse of the body), so only a body that
        // has them pays for it: a JSON object without the field sends none.
        return body.isForm() || fields.has(AttributeChanges.FIELD) ? input.withAttributes(AttributeChanges.read(body)) : input;
    }

    private ContactView view(Contact contact, HttpServerRequest request) {
        return ContactView.of(contact, urls.of(contact.avatarKey, request));
    }

}
