package dev.awal.contacts.contact;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.awal.contacts.api.ApiError;
import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.attributes.AttributeChanges;
import dev.awal.contacts.attributes.AttributeQuery;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.contact.ContactUpsert.IfMatch;
import dev.awal.contacts.contact.ContactUpsert.Item;
import dev.awal.contacts.contact.ContactUpsert.OnDuplicate;
import dev.awal.contacts.contact.ContactUpsert.Outcome;
import dev.awal.contacts.contact.ContactUpsert.Result;
import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.ContactFilter;
import dev.awal.contacts.security.Caller;
import dev.awal.contacts.storage.PublicUrls;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/** Keeping contacts in sync with another system: lookup and upsert by phone, batch upsert, and export. */
@Path("/api/developer/contacts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts")
public class ContactSyncResource {

    /** Error examples the JSON writes share (annotation values must be constants). */
    private static final String TOO_LARGE_EXAMPLE = "{\"status\":false,\"error\":\"payload_too_large\","
            + "\"message\":\"The request body is larger than 262144 bytes\",\"details\":null,\"request_id\":\"3f1c2a7e9b0d4c5e\"}";
    private static final String NOT_JSON_EXAMPLE = "{\"status\":false,\"error\":\"unsupported_media_type\","
            + "\"message\":\"Content type 'text/plain' is not accepted by this endpoint\",\"details\":null,\"request_id\":\"3f1c2a7e9b0d4c5e\"}";
    private static final String PHONE_EXAMPLE = "+966 50 123 4567";

    private final ContactUpsert upsert;
    private final ContactExport export;
    private final ObjectMapper mapper;
    private final PublicUrls urls;
    private final Caller caller;

    ContactSyncResource(ContactUpsert upsert, ContactExport export, ObjectMapper mapper, PublicUrls urls, Caller caller) {
        this.upsert = upsert;
        this.export = export;
        this.mapper = mapper;
        this.urls = urls;
        this.caller = caller;
    }

    @GET
    @Path("by-phone/{phone}")
    @Operation(operationId = "getContactByPhone", summary = "Find the contact with a phone number",
            description = "Any common formatting is accepted (`+966 50 123 4567`, `00966501234567`, `966501234567`); "
                    + "a number without country code (`0501234567`) needs `default_region`. The number is normalized "
                    + "as stored phones are.")
    @APIResponse(responseCode = "200", description = "The contact",
            headers = @Header(name = "ETag", description = "Changes on every update", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "304", description = "The contact still has the If-None-Match ETag",
            headers = @Header(name = "ETag", description = "The contact's current version", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "default_region is not an ISO 3166 alpha-2 code",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "region",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Invalid value for query parameter default_region\","
                            + "\"details\":{\"default_region\":\"must be an ISO 3166 alpha-2 region code, e.g. SA\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "404", description = "No contact has this phone in the workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none",
                    value = "{\"status\":false,\"error\":\"resource_not_found\",\"message\":\"Contact not found\",\"details\":null,"
                            + "\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "422", description = "Not a valid phone number (details.phone)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "phone",
                    value = "{\"status\":false,\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"phone\":\"must be a valid international number with country code, e.g. +966501234567\"},"
                            + "\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public Uni<RestResponse<ApiResponse<ContactView>>> getByPhone(
            @Parameter(description = "The phone number, URL-encoded", example = PHONE_EXAMPLE) @RestPath String phone,
            @Parameter(description = "ISO 3166 alpha-2 region for numbers without country code", example = "SA")
            @RestQuery("default_region") String defaultRegion,
            @Parameter(description = "Answer 304 when the contact still has this ETag") @RestHeader("If-None-Match") String ifNoneMatch,
            @Context HttpServerRequest request) {
        String workspace = caller.workspace();
        String normalized = pathPhone(phone, RegionalPhones.region(defaultRegion));
        return upsert.byPhone(workspace, normalized)
                .onItem().ifNull().failWith(() -> ApiException.notFound("Contact"))
                .map(contact -> {
                    if (EntityTags.notModified(ifNoneMatch, contact.etag())) {
                        return RestResponse.ResponseBuilder.<ApiResponse<ContactView>>notModified()
                                .header("ETag", contact.etag()).build();
                    }
                    return RestResponse.ResponseBuilder.ok(ApiResponse.ok("Contact retrieved successfully", view(contact, request)))
                            .header("ETag", contact.etag()).build();
                });
    }

    @PUT
    @Path("by-phone/{phone}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "upsertContactByPhone", summary = "Create or update the contact with a phone number",
            description = "One atomic statement: creates the contact (201) or updates the one with this phone (200); "
                    + "concurrent upserts of one phone end in one contact. The body is a JSON contact: `name` is required "
                    + "(the contact may be created); optional fields that are absent keep their stored value, null clears "
                    + "them. A `phone` in the body must be the same number as the path. With `If-Match` only an existing "
                    + "contact with that ETag is updated (`*`: any existing contact); nothing is created. With `If-None-Match: *` "
                    + "the contact is only created: when one already has this phone the answer is 412 and nothing is written "
                    + "(other If-None-Match values are refused with 400). `custom_attributes` "
                    + "merge key by key as in PATCH (null removes a key; keys not sent keep their value); each value is "
                    + "validated against the workspace's definition (422 naming custom_attributes.<key>).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ContactForms.CreateJson.class),
            examples = @ExampleObject(name = "upsert", value = "{\"name\":\"أحمد\",\"phone\":\"+966 50 123 4567\",\"email\":\"ahmed@example.com\",\"is_favorite\":true,"
                    + "\"custom_attributes\":{}}")))
    @APIResponse(responseCode = "200", description = "Updated (or already equal: nothing written)",
            headers = @Header(name = "ETag", description = "The contact's current version", schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "201", description = "Created; the body is the new contact",
            content = @Content(schema = @Schema(ref = "ApiResponseContactView")), headers = {
            @Header(name = "Location", description = "URL of the new contact", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "ETag", description = "The contact's current version", schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = "Malformed JSON, a wrong JSON type, or an If-None-Match other than *",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "type",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Wrong JSON type for name\","
                            + "\"details\":{\"name\":\"must be a string\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "412", description = "If-Match does not match the contact's ETag, or no contact has this phone; "
            + "or If-None-Match is * and a contact has this phone",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = {
                    @ExampleObject(name = "stale",
                    value = "{\"status\":false,\"error\":\"precondition_failed\",\"message\":\"The contact has changed since you read it (current ETag \\\"3\\\")\","
                            + "\"details\":{\"If-Match\":\"does not match the current ETag \\\"3\\\"\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}"),
                    @ExampleObject(name = "exists",
                    value = "{\"status\":false,\"error\":\"precondition_failed\",\"message\":\"A contact already has this phone number\","
                            + "\"details\":{\"If-None-Match\":\"a contact with this phone exists (id 42)\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}") }))
    @APIResponse(responseCode = "409", description = "The contact with this phone was deleted and written again by other requests "
            + "while this one ran, three times in a row; retry the request",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "contended",
                    value = "{\"status\":false,\"error\":\"duplicate_phone\",\"message\":\"The contact with this phone changed concurrently; "
                            + "retry the item\",\"details\":{\"phone\":\"was changed by another request while this one ran\"},"
                            + "\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "413", description = "Body too large", content = @Content(schema = @Schema(implementation = ApiError.class),
            examples = @ExampleObject(name = "large", value = TOO_LARGE_EXAMPLE)))
    @APIResponse(responseCode = "415", description = "Content type is not JSON", content = @Content(schema = @Schema(implementation = ApiError.class),
            examples = @ExampleObject(name = "type", value = NOT_JSON_EXAMPLE)))
    @APIResponse(responseCode = "422", description = "Invalid fields, phone or reference (details per field)",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "group",
                    value = "{\"status\":false,\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"contact_group_id\":\"The selected contact group does not exist\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public Uni<RestResponse<ApiResponse<ContactView>>> upsertByPhone(
            @Parameter(description = "The phone number, URL-encoded", example = PHONE_EXAMPLE) @RestPath String phone,
            @Parameter(description = "The workspace's WhatsApp sender number id a created contact belongs to", required = true,
                    example = "109876543210") @RestQuery("phone_number_id") String phoneNumberId,
            @Parameter(description = "ISO 3166 alpha-2 region for numbers without country code", example = "SA")
            @RestQuery("default_region") String defaultRegion,
            @Parameter(description = "Update only if the contact has this ETag (or * for any existing contact)")
            @RestHeader("If-Match") String ifMatch,
            @Parameter(description = "`*`: create only; 412 when a contact already has this phone")
            @RestHeader("If-None-Match") String ifNoneMatch,
            RoutingContext rc) {
        String workspace = caller.workspace();
        String region = RegionalPhones.region(defaultRegion);
        boolean createOnly = createOnly(ifNoneMatch);
        String normalized = pathPhone(phone, region);
        String senderId = QueryParams.phoneNumberId(phoneNumberId);
        ObjectNode body = jsonObject(ReceivedBody.of(rc));
        JsonNode sentPhone = body.get("phone");
        if (sentPhone != null && sentPhone.isTextual()
                && !normalized.equals(RegionalPhones.normalize(sentPhone.textValue(), region))) {
            throw ApiException.invalid(Map.of("phone", "must be the same number as the phone in the path"));
        }
        // null is "not sent": the shared ContactCreate schema marks phone required, so a generated client that was
        // not given one sends "phone": null, and the path names the phone anyway.
        if (sentPhone == null || sentPhone.isNull() || sentPhone.isTextual()) {
            body.put("phone", "+" + normalized);
        }
        Item item = new Item(0, input(body));
        Uni<Outcome> outcome;
        if (ifMatch != null && !ifMatch.isBlank()) {
            if (createOnly) {
                // A contact that passes If-Match exists and fails If-None-Match: *, and without one If-Match fails.
                throw new ApiException(ErrorCode.PRECONDITION_FAILED, "If-Match and If-None-Match: * cannot both hold",
                        Map.of("If-None-Match", "cannot hold together with If-Match"));
            }
            outcome = upsert.updateIfMatch(workspace, item, ifMatch(ifMatch));
        } else if (createOnly) {
            // ERROR leaves an existing contact untouched in the same single statement; its conflict answers 412.
            outcome = upsert.upsert(workspace, senderId, List.of(item), OnDuplicate.ERROR).map(all -> createdOnly(all.get(0)));
        } else {
            outcome = upsert.upsert(workspace, senderId, List.of(item), OnDuplicate.UPDATE).map(all -> all.get(0));
        }
        return outcome.map(done -> {
            if (done.result() == Result.FAILED) {
                throw done.error();
            }
            Contact contact = done.contact();
            ApiResponse<ContactView> answer = ApiResponse.ok(done.result() == Result.CREATED
                    ? "Contact created successfully" : "Contact updated successfully", view(contact, rc.request()));
            RestResponse.ResponseBuilder<ApiResponse<ContactView>> response = done.result() == Result.CREATED
                    ? RestResponse.ResponseBuilder.<ApiResponse<ContactView>>created(
                            java.net.URI.create("/api/developer/contacts/" + contact.id)).entity(answer)
                    : RestResponse.ResponseBuilder.ok(answer);
            return response.header("ETag", contact.etag()).build();
        });
    }

    @POST
    @Path("batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "upsertContactsBatch", summary = "Create or update up to 100 contacts by phone",
            description = "Each item is created or updated by its phone, in one database statement for the whole batch. "
                    + "The answer lists every item's outcome in request order: 201 created, 200 updated / unchanged / "
                    + "skipped, 422 invalid (details per field, including a phone that appears earlier in the batch), "
                    + "400 wrong JSON type, 409 (on_duplicate=error and the phone exists). One bad item does not fail "
                    + "the others; each item is written entirely or not at all. Item fields follow the JSON create's "
                    + "rules; on update, absent optional fields keep their value and `custom_attributes` merge key by key "
                    + "(null removes a key). An item whose custom attribute is unknown or invalid fails alone with a 422 "
                    + "naming custom_attributes.<key>.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = BatchForms.Request.class),
            examples = @ExampleObject(name = "batch", value = "{\"on_duplicate\":\"update\",\"contacts\":["
                    + "{\"name\":\"أحمد\",\"phone\":\"+966501234567\",\"email\":\"ahmed@example.com\"},"
                    + "{\"name\":\"Sara\",\"phone\":\"+966 50 765 4321\",\"is_favorite\":true}]}")))
    @APIResponse(responseCode = "200", description = "Every item's outcome; look at each item's status",
            content = @Content(schema = @Schema(implementation = BatchResponse.class), examples = @ExampleObject(name = "mixed",
                    value = "{\"status\":true,\"message\":\"Batch processed: 1 created, 0 updated, 0 unchanged, 0 skipped, 1 failed\","
                            + "\"data\":{\"results\":[{\"index\":0,\"status\":201,\"result\":\"created\",\"data\":{\"id\":42,"
                            + "\"name\":\"أحمد\",\"full_name\":null,\"phone\":\"966501234567\",\"email\":\"ahmed@example.com\","
                            + "\"branch_id\":null,\"contact_group_id\":null,\"description\":null,\"address\":null,\"is_favorite\":false,"
                            + "\"avatar\":null,\"phone_number_id\":\"109876543210\",\"created_at\":\"2024-01-15T10:30:00Z\","
                            + "\"updated_at\":\"2024-01-15T10:30:00Z\",\"custom_attributes\":{}},\"error\":null},{\"index\":1,\"status\":422,\"result\":\"failed\","
                            + "\"data\":null,\"error\":{\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"phone\":\"must be a valid international number with country code, e.g. +966501234567\"}}}],"
                            + "\"counts\":{\"created\":1,\"updated\":0,\"unchanged\":0,\"skipped\":0,\"failed\":1}}}")))
    @APIResponse(responseCode = "400", description = "Malformed JSON, or contacts / on_duplicate of the wrong JSON type",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "type",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Wrong JSON type for contacts\","
                            + "\"details\":{\"contacts\":\"must be an array of contacts\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    @APIResponse(responseCode = "413", description = "Body too large", content = @Content(schema = @Schema(implementation = ApiError.class),
            examples = @ExampleObject(name = "large", value = TOO_LARGE_EXAMPLE)))
    @APIResponse(responseCode = "415", description = "Content type is not JSON", content = @Content(schema = @Schema(implementation = ApiError.class),
            examples = @ExampleObject(name = "type", value = NOT_JSON_EXAMPLE)))
    @APIResponse(responseCode = "422", description = "No contacts, more than 100, an unknown on_duplicate or a missing phone_number_id",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "size",
                    value = "{\"status\":false,\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"contacts\":\"may contain at most 100 contacts\"},\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public Uni<ApiResponse<BatchForms.Result>> batch(
            @Parameter(description = "The workspace's WhatsApp sender number id created contacts belong to", required = true,
                    example = "109876543210") @RestQuery("phone_number_id") String phoneNumberId,
            @Parameter(description = "ISO 3166 alpha-2 region for item phones without country code", example = "SA")
            @RestQuery("default_region") String defaultRegion,
            RoutingContext rc) {
        String workspace = caller.workspace();
        String region = RegionalPhones.region(defaultRegion);
        ObjectNode body = jsonObject(ReceivedBody.of(rc));
        JsonNode contacts = body.get("contacts");
        JsonNode mode = body.get("on_duplicate");
        Map<String, String> wrongTypes = new LinkedHashMap<>();
        if (contacts != null && !contacts.isArray()) {
            wrongTypes.put("contacts", "must be an array of contacts");
        }
        if (mode != null && !mode.isNull() && !mode.isTextual()) {
            wrongTypes.put("on_duplicate", "must be a string");
        }
        if (!wrongTypes.isEmpty()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Wrong JSON type for " + String.join(", ", wrongTypes.keySet()), wrongTypes);
        }
        Map<String, String> errors = new LinkedHashMap<>();
        if (contacts == null || contacts.isEmpty()) {
            errors.put("contacts", "must contain at least one contact");
        } else if (contacts.size() > ContactUpsert.MAX_BATCH) {
            errors.put("contacts", "may contain at most " + ContactUpsert.MAX_BATCH + " contacts");
        }
        OnDuplicate onDuplicate = OnDuplicate.parse(mode == null || mode.isNull() ? null : mode.textValue());
        if (onDuplicate == null) {
            errors.put("on_duplicate", "must be update, skip or error");
        }
        if (phoneNumberId == null || phoneNumberId.isEmpty()) {
            errors.put("phone_number_id", "The phone_number_id query parameter is required");
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        String senderId = QueryParams.phoneNumberId(phoneNumberId);

        Map<Integer, Outcome> rejected = new HashMap<>();
        List<Item> valid = new ArrayList<>();
        Map<String, Integer> firstIndexOfPhone = new HashMap<>();
        for (int index = 0; index < contacts.size(); index++) {
            try {
                JsonNode node = contacts.get(index);
                if (!node.isObject()) {
                    throw new ApiException(ErrorCode.BAD_REQUEST, "Each contact must be a JSON object",
                            Map.of("contacts", "item " + index + " must be a JSON object"));
                }
                ObjectNode item = (ObjectNode) node;
                JsonNode phone = item.get("phone");
                if (region != null && phone != null && phone.isTextual()) {
                    String regional = RegionalPhones.normalize(phone.textValue(), region);
                    if (regional != null) {
                        item.put("phone", "+" + regional);
                    }
                }
                ContactInput input = input(item);
                Integer earlier = firstIndexOfPhone.putIfAbsent(input.phone(), index);
                if (earlier != null) {
                    throw ApiException.invalid(Map.of("phone", "appears earlier in this batch, at index " + earlier));
                }
                valid.add(new Item(index, input));
            } catch (ApiException e) {
                rejected.put(index, new Outcome(index, Result.FAILED, null, e));
            }
        }
        Uni<List<Outcome>> written = valid.isEmpty() ? Uni.createFrom().item(List.of())
                : upsert.upsert(workspace, senderId, valid, onDuplicate);
        int total = contacts.size();
        return written.map(outcomes -> {
            Map<Integer, Outcome> all = new HashMap<>(rejected);
            outcomes.forEach(outcome -> all.put(outcome.index(), outcome));
            List<BatchForms.ItemResult> results = new ArrayList<>(total);
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Result result : Result.values()) {
                counts.put(result.name().toLowerCase(java.util.Locale.ROOT), 0);
            }
            for (int index = 0; index < total; index++) {
                Outcome outcome = all.get(index);
                String result = outcome.result().name().toLowerCase(java.util.Locale.ROOT);
                counts.merge(result, 1, Integer::sum);
                ApiException error = outcome.error();
                results.add(new BatchForms.ItemResult(index, outcome.status(), result,
                        outcome.contact() == null ? null : view(outcome.contact(), rc.request()),
                        error == null ? null : new BatchForms.ItemError(error.code().code(), error.getMessage(), error.details())));
            }
            String message = "Batch processed: " + counts.get("created") + " created, " + counts.get("updated") + " updated, "
                    + counts.get("unchanged") + " unchanged, " + counts.get("skipped") + " skipped, " + counts.get("failed") + " failed";
            return ApiResponse.ok(message, new BatchForms.Result(results, counts));
        });
    }

    @GET
    @Path("export")
    // One declared type: a streamed body cannot be negotiated (RESTEasy refuses a Multi with two); the Content-Type
    // header follows `format`.
    @Produces("text/csv")
    @Operation(operationId = "exportContacts", summary = "Download the contacts as CSV or NDJSON",
            description = "Takes the list's search, built-in filters and sort (not `attributes[…]` filters nor a sort by a "
                    + "custom attribute: those are refused with 400 rather than ignored); streams every matching contact (no paging), read by "
                    + "keyset in chunks so memory stays flat at any size, and stops reading when the client disconnects. "
                    + "CSV (RFC 4180, CRLF, UTF-8, every text cell quoted) has a header row with the columns the importer "
                    + "reads: name, full_name, phone (international digits), email, description, address, is_favorite, "
                    + "contact_group_id, branch_id, then one column per custom attribute the workspace defines, named by "
                    + "its key, in key order (empty when the contact has no value). A text cell that starts with =, +, -, @, tab or carriage return is "
                    + "prefixed with a single quote (OWASP CSV injection). `bom=true` starts the file with a UTF-8 "
                    + "byte-order mark so that Excel reads Arabic correctly (ignored for NDJSON, which must not start with one). NDJSON has one Contact object per line, "
                    + "custom_attributes included.")
    @APIResponse(responseCode = "200", description = "The file, as an attachment",
            headers = @Header(name = "Content-Disposition", description = "attachment; filename=\"contacts.csv\" (or .ndjson)",
                    schema = @Schema(type = SchemaType.STRING)),
            content = {
                    @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary"),
                            examples = @ExampleObject(name = "csv", value = "\"name\",\"full_name\",\"phone\",\"email\",\"description\","
                                    + "\"address\",\"is_favorite\",\"contact_group_id\",\"branch_id\"\r\n"
                                    + "\"أحمد\",\"\",\"966501234567\",\"ahmed@example.com\",\"'=VIP\",\"\",\"false\",\"7\",\"\"\r\n")),
                    // Each line is one Contact: the schema and example describe a line.
                    @Content(mediaType = "application/x-ndjson", schema = @Schema(implementation = ContactView.class),
                            examples = @ExampleObject(name = "ndjson", value = "{\"id\":42,\"name\":\"أحمد\",\"full_name\":null,"
                                    + "\"phone\":\"966501234567\",\"email\":\"ahmed@example.com\",\"branch_id\":null,"
                                    + "\"contact_group_id\":7,\"description\":null,\"address\":null,\"is_favorite\":false,"
                                    + "\"avatar\":null,\"phone_number_id\":\"109876543210\",\"created_at\":\"2024-01-15T10:30:00Z\","
                                    + "\"updated_at\":\"2024-01-15T10:30:00Z\",\"custom_attributes\":{\"tier\":\"Gold\"}}")) })
    @APIResponse(responseCode = "400", description = "Bad format, bom, filter or sort value (details name the parameter)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class),
                    examples = @ExampleObject(name = "format", value = "{\"status\":false,\"error\":\"bad_request\","
                            + "\"message\":\"Invalid value for query parameter format\",\"details\":{\"format\":\"must be csv or ndjson\"},"
                            + "\"request_id\":\"3f1c2a7e9b0d4c5e\"}")))
    public RestMulti<byte[]> export(
            @Parameter(description = "File format", schema = @Schema(type = SchemaType.STRING, enumeration = { "csv", "ndjson" }, defaultValue = "csv"))
            @RestQuery String format,
            @Parameter(description = "Start a CSV with a UTF-8 byte-order mark (for Excel)", schema = @Schema(type = SchemaType.BOOLEAN,
                    defaultValue = "false")) @RestQuery String bom,
            @Parameter(description = "Search term, as in the list", example = "احمد") @RestQuery String search,
            @Parameter(description = "Alias of search") @RestQuery String searchTerm,
            @Parameter(description = "Only contacts of this group", schema = @Schema(type = SchemaType.INTEGER, format = "int64")) @RestQuery("contact_group_id") String groupId,
            @Parameter(description = "Only contacts of this branch", schema = @Schema(type = SchemaType.INTEGER, format = "int64")) @RestQuery("branch_id") String branchId,
            @Parameter(description = "Only favorites (true) or non-favorites (false)", schema = @Schema(type = SchemaType.BOOLEAN)) @RestQuery("is_favorite") String favorite,
            @Parameter(description = "Only contacts of this WhatsApp sender number") @RestQuery("phone_number_id") String phoneNumberId,
            @Parameter(description = "Sort order; prefix with - for descending",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "created_at", "-created_at", "name", "-name", "updated_at", "-updated_at" },
                            defaultValue = "-created_at")) @RestQuery String sort,
            @Context HttpServerRequest request) {
        String workspace = caller.workspace();
        ContactExport.Format fileFormat = switch (format == null || format.isEmpty() ? "csv" : format) {
            case "csv" -> ContactExport.Format.CSV;
            case "ndjson" -> ContactExport.Format.NDJSON;
            default -> throw QueryParams.invalid("format", "must be csv or ndjson");
        };
        boolean withBom = Boolean.TRUE.equals(QueryParams.bool("bom", bom));
        refuseAttributeQueries(request.params(), sort);
        ContactFilter filter = ContactFilter.parse(search != null ? search : searchTerm, groupId, branchId, favorite,
                phoneNumberId, sort);
        return RestMulti.fromMultiData(export.stream(workspace, filter, fileFormat, withBom, contact -> view(contact, request)))
                .header("Content-Type", fileFormat.contentType)
                .header("Content-Disposition", "attachment; filename=\"contacts." + fileFormat.extension + "\"")
                .build();
    }

    /**
     * The export reads by keyset in plain SQL and does not apply the list's custom-attribute filters or sort: refused
     * by name, since an export that ignored them would hand back contacts the client had filtered out.
     */
    private static void refuseAttributeQueries(io.vertx.core.MultiMap params, String sort) {
        for (String name : params.names()) {
            if (name.startsWith("attributes[") || name.equals("attributes")) {
                throw QueryParams.invalid(name.length() > 80 ? "attributes" : name,
                        "the export does not filter by custom attributes; list them with GET /contacts");
            }
        }
        if (sort != null && sort.strip().replaceFirst("^-", "").startsWith(AttributeQuery.SORT_PREFIX)) {
            throw QueryParams.invalid("sort", "the export sorts by created_at, name or updated_at, not by a custom attribute");
        }
    }

    /** The documented shape of the batch answer (ApiResponse is generic). */
    @Schema(name = "ContactBatchResponse")
    record BatchResponse(@Schema(required = true, examples = "true") boolean status,
            @Schema(required = true, examples = "Batch processed: 1 created, 0 updated, 0 unchanged, 0 skipped, 1 failed") String message,
            @Schema(required = true) BatchForms.Result data) {
    }

    /** Validates one JSON contact exactly as a JSON create does; avatars are not taken here. */
    private ContactInput input(ObjectNode node) {
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw ApiException.badRequest("The contact could not be read");
        }
        InputFields fields = InputFields.parse(new ReceivedBody(MediaType.APPLICATION_JSON, Buffer.buffer(bytes), null, List.of()),
                mapper);
        // Custom attributes are validated against their definitions in the writing transaction (ContactUpsert).
        ContactInput input = ContactInput.from(fields, List.of(), true).withAttributes(AttributeChanges.fromJson(node));
        if (input.avatar() != null) {
            throw ApiException.invalid(Map.of("avatar",
                    "is not accepted here; set it with PUT /api/developer/contacts/{id}/avatar or a create/update"));
        }
        return input;
    }

    private ObjectNode jsonObject(ReceivedBody body) {
        if (body == null || body.isEmpty()) {
            throw ApiException.badRequest("The request body is empty");
        }
        JsonNode node;
        try {
            // Strictly UTF-8 (a 422 naming the field that holds other bytes): Jackson's own decoding would read an
            // overlong "/" as "/" and the batch or upsert would store it.
            node = InputFields.readStrict(body.raw().getBytes(), mapper);
        } catch (IOException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Malformed JSON body", Map.of("body", "is not valid JSON"));
        }
        if (node == null || !node.isObject()) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "The JSON body must be an object", Map.of("body", "must be a JSON object"));
        }
        return (ObjectNode) node;
    }

    private static String pathPhone(String phone, String region) {
        String normalized = phone == null ? null : RegionalPhones.normalize(phone, region);
        if (normalized == null) {
            throw ApiException.invalid(Map.of("phone", region == null
                    ? "must be a valid international number with country code, e.g. +966501234567 (or pass default_region)"
                    : "must be a valid number in " + region + " or an international number"));
        }
        return normalized;
    }

    /**
     * Whether {@code If-None-Match} asks to create only. On a PUT only {@code *} has a use (the contact must not
     * exist yet); a list of ETags would ask to update unless the contact has one of them, which no client of this
     * API needs, so it is refused rather than ignored.
     */
    private static boolean createOnly(String header) {
        if (header == null || header.isBlank()) {
            return false;
        }
        if (!header.strip().equals("*")) {
            throw new ApiException(ErrorCode.BAD_REQUEST, "Invalid If-None-Match header",
                    Map.of("If-None-Match", "only * (create only) is supported on this PUT"));
        }
        return true;
    }

    /** A create-only upsert that met a contact with the phone: the precondition failed (412), nothing was written. */
    private static Outcome createdOnly(Outcome outcome) {
        Map<String, Object> details = outcome.result() == Result.FAILED ? outcome.error().details() : null;
        if (outcome.result() == Result.FAILED && outcome.error().code() == ErrorCode.DUPLICATE_PHONE
                && details != null && details.get("existing_contact_id") != null) {
            return new Outcome(outcome.index(), Result.FAILED, null, new ApiException(ErrorCode.PRECONDITION_FAILED,
                    "A contact already has this phone number",
                    Map.of("If-None-Match", "a contact with this phone exists (id " + details.get("existing_contact_id") + ")")));
        }
        return outcome;
    }

    /** The versions an If-Match header accepts; {@code *} accepts any existing contact. */
    private static IfMatch ifMatch(String header) {
        if (header.strip().equals("*")) {
            return new IfMatch(null);
        }
        List<Integer> versions = new ArrayList<>();
        for (String tag : header.split(",")) {
            String candidate = tag.strip();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (candidate.length() > 2 && candidate.startsWith("\"") && candidate.endsWith("\"")) {
                try {
                    versions.add(Integer.parseInt(candidate.substring(1, candidate.length() - 1)));
                } catch (NumberFormatException e) {
                    // Not an ETag this service issued: it matches no version.
                }
            }
        }
        return new IfMatch(versions);
    }

    private ContactView view(Contact contact, HttpServerRequest request) {
        return ContactView.of(contact, urls.of(contact.avatarKey, request));
    }
}
