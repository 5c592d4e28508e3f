package dev.awal.contacts.attributes;

import java.io.IOException;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ApiListResponse;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.PageRequest;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

@Path("/api/developer/contact-attributes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Custom attributes", description = "Typed fields a workspace defines for its contacts (custom_attributes)")
public class AttributeResource {

    private static final String CREATE_EXAMPLE = "{\"key\": \"tier\", \"label\": \"Customer tier\", \"type\": \"enum\", "
            + "\"options\": [\"gold\", \"silver\", \"bronze\"]}";

    private final AttributeService attributes;
    private final ObjectMapper mapper;
    private final Caller caller;

    AttributeResource(AttributeService attributes, ObjectMapper mapper, Caller caller) {
        this.attributes = attributes;
        this.mapper = mapper;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listContactAttributes", summary = "List custom attribute definitions",
            description = "Ordered by key, page by page.")
    @APIResponse(responseCode = "200", description = "A page of definitions")
    @APIResponse(responseCode = "400", description = "A query parameter has a bad value (details names it)")
    public Uni<ApiListResponse<AttributeView>> list(
            @Parameter(description = "Page number",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", defaultValue = "1")) @RestQuery String page,
            @Parameter(description = "Definitions per page",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int32", minimum = "1", maximum = "100", defaultValue = "20")) @RestQuery("per_page") String perPage) {
        PageRequest paging = PageRequest.parse(page, perPage, null, null);
        return attributes.list(caller.workspace(), paging)
                .map(found -> ApiListResponse.of("Custom attributes retrieved successfully", found.map(AttributeView::of)));
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getContactAttribute", summary = "Get one custom attribute definition",
            description = "The answer carries an `ETag`; send it as `If-Match` on PATCH / DELETE to refuse lost updates.")
    @APIResponse(responseCode = "200", description = "The definition",
            headers = @Header(name = "ETag", description = "The definition's version; changes on every update", required = true,
                    schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "No custom attribute with this id in the workspace")
    public Uni<RestResponse<ApiResponse<AttributeView>>> get(@Parameter(description = "The definition's id") @RestPath long id) {
        return attributes.get(caller.workspace(), id)
                .map(definition -> withETag(definition, ApiResponse.ok("Custom attribute retrieved successfully", AttributeView.of(definition))));
    }

    @POST
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "createContactAttribute", summary = "Define a custom attribute",
            description = "The key is snake_case, unique in the workspace, cannot change and may not be the name of a "
                    + "contact field (name, full_name, phone, email, description, address, is_favorite, contact_group_id, "
                    + "branch_id). Types: text (max_length, default 255), "
                    + "number, boolean, date (YYYY-MM-DD), datetime (ISO-8601 with offset), enum (options). A workspace has at most "
                    + "contacts.attributes.max-per-workspace (default 100) definitions. Forms send options one per line.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AttributeInput.CreateBody.class),
                    examples = @ExampleObject(name = "enum", value = CREATE_EXAMPLE)),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = AttributeInput.CreateBody.class),
                    examples = @ExampleObject(name = "number", value = "{\"key\": \"orders\", \"label\": \"Orders\", \"type\": \"number\"}")),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = AttributeInput.CreateBody.class),
                    examples = @ExampleObject(name = "number", value = "{\"key\": \"orders\", \"label\": \"Orders\", \"type\": \"number\"}")) })
    @APIResponse(responseCode = "201", description = "Created; the body is the new definition",
            content = @Content(schema = @Schema(ref = "ApiResponseAttributeView")),
            headers = {
                    @Header(name = "Location", description = "URL of the new definition", required = true, schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ETag", description = "The definition's version", required = true, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = "Malformed body or a wrong JSON type (details names the field)")
    @APIResponse(responseCode = "409", description = "The key is already defined in this workspace (error duplicate_name, details.key)")
    @APIResponse(responseCode = "413", description = "Body over the limit")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message), or the workspace has the maximum number of definitions")
    public Uni<RestResponse<ApiResponse<AttributeView>>> create(RoutingContext rc) {
        AttributeInput input = parse(rc, true);
        return attributes.create(caller.workspace(), input).map(definition -> RestResponse.ResponseBuilder
                .<ApiResponse<AttributeView>>created(URI.create("/api/developer/contact-attributes/" + definition.id))
                .entity(ApiResponse.ok("Custom attribute created successfully", AttributeView.of(definition)))
                .header("ETag", definition.etag()).build());
    }

    @PATCH
    @Path("{id: \\d{1,18}}")
    @Consumes({ MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "updateContactAttribute", summary = "Change a custom attribute definition",
            description = "Label, description, a text's max_length, an enum's options. A change that would make values contacts hold "
                    + "invalid (an option removed, max_length below a stored value) is 409 with details.contacts, and nothing changes.")
    @RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AttributeInput.UpdateBody.class),
                    examples = @ExampleObject(name = "relabel", value = "{\"label\": \"Tier\"}")),
            @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED, schema = @Schema(implementation = AttributeInput.UpdateBody.class)),
            @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = AttributeInput.UpdateBody.class)) })
    @APIResponse(responseCode = "200", description = "The updated definition",
            headers = @Header(name = "ETag", description = "The new version", required = true, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "Malformed body or a wrong JSON type (details names the field)")
    @APIResponse(responseCode = "404", description = "No custom attribute with this id in the workspace")
    @APIResponse(responseCode = "409", description = "Contacts hold values the change would make invalid (error attribute_in_use, details.contacts)")
    @APIResponse(responseCode = "412", description = "If-Match does not match the definition's current ETag; nothing changed")
    @APIResponse(responseCode = "413", description = "Body over the limit")
    @APIResponse(responseCode = "415", description = "Content type is not JSON, urlencoded or multipart")
    @APIResponse(responseCode = "422", description = "Field rules broken (details maps each field to a message)")
    public Uni<RestResponse<ApiResponse<AttributeView>>> update(@Parameter(description = "The definition's id") @RestPath long id,
            @Parameter(description = "An ETag from an earlier answer: a stale one is 412 and nothing changes") @RestHeader("If-Match") String ifMatch,
            RoutingContext rc) {
        AttributeInput input = parse(rc, false);
        return attributes.update(caller.workspace(), id, ifMatch, input)
                .map(definition -> withETag(definition, ApiResponse.ok("Custom attribute updated successfully", AttributeView.of(definition))));
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "deleteContactAttribute", summary = "Delete a custom attribute definition",
            description = "Its values are removed from every contact in the same transaction (each such contact gets a contact.updated event).")
    @APIResponse(responseCode = "200", description = "Deleted; data.cleared_contacts tells how many contacts lost a value")
    @APIResponse(responseCode = "404", description = "No custom attribute with this id in the workspace")
    @APIResponse(responseCode = "412", description = "If-Match does not match the definition's current ETag; nothing was deleted")
    public Uni<ApiResponse<Cleared>> delete(@Parameter(description = "The definition's id") @RestPath long id,
            @Parameter(description = "An ETag from an earlier answer: a stale one is 412 and nothing changes") @RestHeader("If-Match") String ifMatch) {
        return attributes.delete(caller.workspace(), id, ifMatch)
                .map(count -> ApiResponse.ok("Custom attribute deleted successfully", new Cleared(count)));
    }

    @com.fasterxml.jackson.databind.annotation.JsonNaming(com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "AttributeDeleted")
    public record Cleared(@Schema(required = true, description = "Contacts that held a value of the deleted attribute", examples = "12") int clearedContacts) {
    }

    private AttributeInput parse(RoutingContext rc, boolean create) {
        ReceivedBody body = ReceivedBody.of(rc);
        InputFields fields = InputFields.parse(body, mapper);
        JsonNode json = null;
        if (!body.isForm()) {
            try {
                json = mapper.readTree(body.raw().getBytes());
            } catch (IOException e) {
                throw ApiException.badRequest("Malformed JSON body");
            }
        }
        return AttributeInput.from(fields, json, create);
    }

    private static <T> RestResponse<T> withETag(AttributeDefinition definition, T body) {
        return RestResponse.ResponseBuilder.ok(body).header("ETag", definition.etag()).build();
    }
}
