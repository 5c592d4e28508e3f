package dev.awal.contacts.imports;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import dev.awal.contacts.api.ApiError;
import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.contact.ContactUpsert.OnDuplicate;
import dev.awal.contacts.contact.RegionalPhones;
import dev.awal.contacts.security.Caller;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.ext.web.RoutingContext;

/** Import jobs: a CSV file becomes contacts in the background, in batches, with a report of the rows that failed. */
@Path("/api/developer/contacts/imports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Contacts")
public class ImportResource {

    private static final Logger LOG = Logger.getLogger(ImportResource.class);
    private static final String REQUEST_ID = "\"request_id\":\"3f1c2a7e9b0d4c5e\"}";
    private static final String JOB_EXAMPLE = "{\"id\":17,\"status\":\"queued\",\"file_name\":\"contacts.csv\",\"format\":\"csv\","
            + "\"options\":{\"phone_number_id\":\"109876543210\",\"default_region\":\"SA\",\"on_duplicate\":\"update\","
            + "\"contact_group_id\":null,\"dry_run\":false},\"counts\":{\"total_rows\":1000,\"rows_read\":0,\"created\":0,"
            + "\"updated\":0,\"unchanged\":0,\"skipped\":0,\"failed\":0,\"duplicates_in_file\":0},\"progress\":0,"
            + "\"unknown_columns\":[\"notes\"],\"failure\":null,\"created_at\":\"2024-01-15T10:30:00Z\",\"started_at\":null,"
            + "\"finished_at\":null}";
    private static final String CANCELLED_EXAMPLE = "{\"id\":17,\"status\":\"cancelled\",\"file_name\":\"contacts.csv\",\"format\":\"csv\","
            + "\"options\":{\"phone_number_id\":\"109876543210\",\"default_region\":\"SA\",\"on_duplicate\":\"update\","
            + "\"contact_group_id\":null,\"dry_run\":false},\"counts\":{\"total_rows\":1000,\"rows_read\":400,\"created\":390,"
            + "\"updated\":5,\"unchanged\":0,\"skipped\":1,\"failed\":4,\"duplicates_in_file\":1},\"progress\":40,"
            + "\"unknown_columns\":[],\"failure\":null,\"created_at\":\"2024-01-15T10:30:00Z\",\"started_at\":\"2024-01-15T10:30:01Z\","
            + "\"finished_at\":\"2024-01-15T10:30:09Z\"}";
    private static final String NOT_FOUND = "{\"status\":false,\"error\":\"resource_not_found\",\"message\":\"Import job not found\","
            + "\"details\":null," + REQUEST_ID;

    private final ImportJobs jobs;
    private final ImportReport report;
    private final ImportConfig config;
    private final Pool pool;
    private final Caller caller;
    private final ObjectMapper json;

    ImportResource(ImportJobs jobs, ImportReport report, ImportConfig config, Pool pool, Caller caller, ObjectMapper json) {
        this.json = json;
        this.jobs = jobs;
        this.report = report;
        this.config = config;
        this.pool = pool;
        this.caller = caller;
    }

    @POST
    @Consumes({ "text/csv", "application/x-ndjson", MediaType.MULTIPART_FORM_DATA })
    @Operation(operationId = "importContacts", summary = "Start importing contacts from a CSV or NDJSON file",
            description = "The file is the raw body (`text/csv`, or `application/x-ndjson`: one JSON contact per line, "
                    + "as the NDJSON export writes them) or, equally, the `file` part of a "
                    + "`multipart/form-data` body with the options as form fields beside it (left out of this document because "
                    + "client generators make no model for a form-only schema yet import it, and the clients would not compile); "
                    + "options are query parameters; a multipart file named *.ndjson or *.jsonl is read as NDJSON, any other as CSV. "
                    + "The file is read once here: a file that is not UTF-8, or a CSV file without "
                    + "a header naming at least `phone` and `name`, is refused (422), one with more rows than "
                    + "contacts.imports.max-rows is 413. Then it is kept in object storage (503 while the store is unavailable) and imported in the background, "
                    + "in batches that each commit on their own; poll the job for progress. Header names map to fields "
                    + "case- and space-insensitively (name, full_name, phone, email, description, address, is_favorite, "
                    + "contact_group_id, branch_id); a header naming a custom attribute key the workspace defines (by the "
                    + "same rule; a built-in name wins) holds that attribute's values, read as form values (an empty cell "
                    + "removes the key) and validated per type, a bad value failing the row with the column named; NDJSON "
                    + "lines carry `custom_attributes` as an object. Other columns are ignored and listed once in the job. Each row follows "
                    + "the rules of a create; an NDJSON line follows the JSON create's rules (keys that are no contact field, such as an "
                    + "export's id and timestamps, are ignored and listed once). Bad rows are counted and listed in the job's "
                    + "errors report (an NDJSON row is its line number, the column the JSON key). The same phone "
                    + "twice in the file is one contact (with on_duplicate=update the later row wins).")
    @RequestBody(required = true, content = {
            @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING, format = "binary"),
                    examples = @ExampleObject(name = "csv", value = "name,phone,email,is_favorite\r\n"
                            + "أحمد,0501234567,ahmed@example.com,true\r\nSara,+966 50 765 4321,,false\r\n")),
            // No example here: the OpenAPI reader parses an example that starts with { as one JSON value, which would
            // show a single object instead of the lines of a file. The description shows a line.
            @Content(mediaType = "application/x-ndjson", schema = @Schema(type = SchemaType.STRING, format = "binary",
                    description = "One JSON contact per line, e.g. {\"name\":\"أحمد\",\"phone\":\"0501234567\",\"is_favorite\":true}")) })
    @APIResponse(responseCode = "202", description = "Accepted: the job, queued",
            headers = @Header(name = "Location", description = "URL of the job", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(schema = @Schema(implementation = JobResponse.class), examples = @ExampleObject(name = "queued",
                    value = "{\"status\":true,\"message\":\"Import queued\",\"data\":" + JOB_EXAMPLE + "}")))
    @APIResponse(responseCode = "400", description = "default_region, dry_run or contact_group_id is not a valid value",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "region",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Invalid value for query parameter default_region\","
                            + "\"details\":{\"default_region\":\"must be an ISO 3166 alpha-2 region code, e.g. SA\"}," + REQUEST_ID)))
    @APIResponse(responseCode = "413", description = "File over contacts.imports.max-bytes, or more rows than contacts.imports.max-rows",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "large",
                    value = "{\"status\":false,\"error\":\"payload_too_large\",\"message\":\"The file is larger than 209715200 bytes\","
                            + "\"details\":null," + REQUEST_ID)))
    @APIResponse(responseCode = "415", description = "Not text/csv, application/x-ndjson or multipart/form-data",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "type",
                    value = "{\"status\":false,\"error\":\"unsupported_media_type\",\"message\":\"Content type 'application/json' is "
                            + "not accepted by this endpoint\",\"details\":null," + REQUEST_ID)))
    @APIResponse(responseCode = "422", description = "No file, an unreadable file (details.file), or an invalid option",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "file",
                    value = "{\"status\":false,\"error\":\"validation_failed\",\"message\":\"The given data was invalid\","
                            + "\"details\":{\"file\":\"Row 3 has a quoted value that is never closed (unbalanced quotes)\"}," + REQUEST_ID)))
    public RestResponse<ApiResponse<ImportJobView>> create(
            @Parameter(description = "The workspace's WhatsApp sender number id created contacts belong to", required = true,
                    example = "109876543210") @RestQuery("phone_number_id") String phoneNumberId,
            @Parameter(description = "ISO 3166 alpha-2 region for phones without country code", example = "SA")
            @RestQuery("default_region") String defaultRegion,
            @Parameter(description = "For a phone that already has a contact: update it, skip the row, or fail the row",
                    schema = @Schema(type = SchemaType.STRING, enumeration = { "update", "skip", "error" }, defaultValue = "update"))
            @RestQuery("on_duplicate") String onDuplicate,
            @Parameter(description = "Every imported contact joins this group", schema = @Schema(type = SchemaType.INTEGER, format = "int64"))
            @RestQuery("contact_group_id") String contactGroupId,
            @Parameter(description = "Validate and count only; change no contact",
                    schema = @Schema(type = SchemaType.BOOLEAN, defaultValue = "false")) @RestQuery("dry_run") String dryRun,
            RoutingContext rc) {
        String workspace = caller.workspace();
        ReceivedBody body = ReceivedBody.of(rc);
        String senderId = QueryParams.phoneNumberId(option(body, "phone_number_id", phoneNumberId));
        String region = RegionalPhones.region(option(body, "default_region", defaultRegion));
        String mode = option(body, "on_duplicate", onDuplicate);
        OnDuplicate duplicates = OnDuplicate.parse(mode == null || mode.isEmpty() ? null : mode);
        if (duplicates == null) {
            throw ApiException.invalid(Map.of("on_duplicate", "must be update, skip or error"));
        }
        Long groupId = QueryParams.id("contact_group_id", option(body, "contact_group_id", contactGroupId));
        boolean dry = Boolean.TRUE.equals(QueryParams.bool("dry_run", option(body, "dry_run", dryRun)));
        ReceivedBody.UploadedFile file = body == null ? null
                : body.files().stream().filter(f -> f.field().equals("file")).findFirst().orElse(null);
        if (file == null) {
            throw ApiException.invalid(Map.of("file", "The file is required: send it as the text/csv or application/x-ndjson body, or the multipart field file"));
        }
        if (file.size() == 0) {
            throw ApiException.invalid(Map.of("file", "is empty"));
        }
        if (groupId != null && !groupExists(workspace, groupId)) {
            throw ApiException.invalid(Map.of("contact_group_id", "The selected contact group does not exist"));
        }
        String format = format(body, file);
        ImportRows.Scan scan;
        try {
            scan = ImportRows.scan(format, file.path(), config.maxRows(), json, config.maxRowChars(),
                    ImportRows.attributeKeys(pool, workspace));
        } catch (ImportRows.Unreadable e) {
            throw ApiException.invalid(Map.of("file", e.getMessage()));
        } catch (IOException e) {
            LOG.error("Could not read an uploaded import file", e);
            throw new ApiException(ErrorCode.INTERNAL_ERROR, "The file could not be read");
        }
        if (scan.rows() > config.maxRows()) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "The file has more than " + config.maxRows() + " rows");
        }
        // Reported in every read of the job: at most 100 names, each cut to 100 characters.
        List<String> unknown = scan.unknownColumns().stream().limit(100)
                .map(name -> name.codePointCount(0, name.length()) <= 100 ? name
                        : name.substring(0, name.offsetByCodePoints(0, 99)) + "…")
                .toList();
        ImportJob job = jobs.create(new ImportJobs.NewJob(workspace, fileName(file), file.size(), scan.rows(), senderId, region,
                duplicates.name().toLowerCase(java.util.Locale.ROOT), groupId, dry, scan.header(), unknown, format), file.path());
        return RestResponse.ResponseBuilder.<ApiResponse<ImportJobView>>accepted()
                .location(URI.create("/api/developer/contacts/imports/" + job.id()))
                .entity(ApiResponse.ok("Import queued", ImportJobView.of(job))).build();
    }

    @GET
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "getImportJob", summary = "An import job: status, counts and progress",
            description = "status is queued, running, completed, failed (failure says why; committed rows stay) or cancelled. "
                    + "counts.rows_read is the rows committed so far and progress its percentage of counts.total_rows; "
                    + "created + updated + unchanged + skipped + failed = rows_read.")
    @APIResponse(responseCode = "200", description = "The job", content = @Content(schema = @Schema(implementation = JobResponse.class),
            examples = @ExampleObject(name = "job", value = "{\"status\":true,\"message\":\"Import job retrieved successfully\",\"data\":"
                    + JOB_EXAMPLE + "}")))
    @APIResponse(responseCode = "404", description = "No such job in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    public Uni<ApiResponse<ImportJobView>> get(@Parameter(description = "The import job's id") @RestPath long id) {
        String workspace = caller.workspace();
        return jobs.find(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Import job"))
                .map(job -> ApiResponse.ok("Import job retrieved successfully", ImportJobView.of(job)));
    }

    @GET
    @Path("{id: \\d{1,18}}/errors")
    @Produces("text/csv")
    @Operation(operationId = "getImportJobErrors", summary = "The rows of an import job that failed or were merged, as CSV",
            description = "One line per row and column: the row number (the header is row 1), the column, the reason, then "
                    + "the row's original cells under the file's own header (cells that start with =, +, -, @ are "
                    + "prefixed with a single quote, as in the export). Streamed; kept for contacts.imports.retention after "
                    + "the job ends.")
    @APIResponse(responseCode = "200", description = "The report, as an attachment",
            headers = @Header(name = "Content-Disposition", description = "attachment; filename=\"import-<id>-errors.csv\"",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "text/csv",
            schema = @Schema(type = SchemaType.STRING, format = "binary"), examples = @ExampleObject(name = "report",
                    value = "\"row\",\"column\",\"reason\",\"name\",\"phone\"\r\n"
                            + "\"3\",\"phone\",\"must be a valid international number with country code, e.g. +966501234567\",\"Sara\",\"12\"\r\n")))
    @APIResponse(responseCode = "404", description = "No such job in this workspace",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiError.class),
                    examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    // Blocking (a worker thread) only to look the job up before the status line: a stream cannot turn into a 404.
    @Blocking
    public RestMulti<byte[]> errors(@Parameter(description = "The import job's id") @RestPath long id) {
        String workspace = caller.workspace();
        ImportJob job = jobs.find(workspace, id).await().atMost(Duration.ofSeconds(10));
        if (job == null) {
            throw ApiException.notFound("Import job");
        }
        List<String> header = jobs.header(id).await().atMost(Duration.ofSeconds(10));
        return RestMulti.fromMultiData(report.stream(id, header))
                .header("Content-Type", "text/csv")
                .header("Content-Disposition", "attachment; filename=\"import-" + id + "-errors.csv\"").build();
    }

    @GET
    @Operation(operationId = "listImportJobs", summary = "The workspace's import jobs, newest first",
            description = "Paged by page and per_page; has_more says whether a next page exists. Jobs are deleted "
                    + "contacts.imports.retention after they end.")
    @APIResponse(responseCode = "200", description = "One page of jobs", content = @Content(schema = @Schema(implementation = ListResponse.class),
            examples = @ExampleObject(name = "jobs", value = "{\"status\":true,\"message\":\"Import jobs retrieved successfully\","
                    + "\"data\":{\"items\":[" + JOB_EXAMPLE + "],\"page\":1,\"per_page\":20,\"has_more\":false}}")))
    @APIResponse(responseCode = "400", description = "page or per_page out of range",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "page",
                    value = "{\"status\":false,\"error\":\"bad_request\",\"message\":\"Invalid value for query parameter per_page\","
                            + "\"details\":{\"per_page\":\"must be between 1 and 100\"}," + REQUEST_ID)))
    public Uni<ApiResponse<JobPage>> list(
            @Parameter(description = "Page number, from 1", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "1")) @RestQuery String page,
            @Parameter(description = "Jobs per page, 1 to 100", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "20"))
            @RestQuery("per_page") String perPage) {
        String workspace = caller.workspace();
        int pageNumber = number("page", page, 1, 1_000_000);
        int size = number("per_page", perPage, 20, 100);
        return jobs.list(workspace, pageNumber, size).map(found -> {
            boolean more = found.size() > size;
            List<ImportJobView> items = found.stream().limit(size).map(ImportJobView::of).toList();
            return ApiResponse.ok("Import jobs retrieved successfully", new JobPage(items, pageNumber, size, more));
        });
    }

    @DELETE
    @Path("{id: \\d{1,18}}")
    @Operation(operationId = "cancelImportJob", summary = "Cancel a queued or running import job",
            description = "Batches already committed stay (the job's counts say how many rows); the running batch, if any, "
                    + "finishes first. Cancelling a job that has ended changes nothing and answers it as it is.")
    @APIResponse(responseCode = "200", description = "The job, cancelled (or as it ended)",
            content = @Content(schema = @Schema(implementation = JobResponse.class), examples = @ExampleObject(name = "cancelled",
                    value = "{\"status\":true,\"message\":\"Import cancelled\",\"data\":" + CANCELLED_EXAMPLE + "}")))
    @APIResponse(responseCode = "404", description = "No such job in this workspace",
            content = @Content(schema = @Schema(implementation = ApiError.class), examples = @ExampleObject(name = "none", value = NOT_FOUND)))
    public Uni<ApiResponse<ImportJobView>> cancel(@Parameter(description = "The import job's id") @RestPath long id) {
        String workspace = caller.workspace();
        return jobs.cancel(workspace, id).onItem().ifNull().failWith(() -> ApiException.notFound("Import job"))
                // A running job's worker releases it too once it sees the cancel; this covers a queued one.
                .call(job -> jobs.release(job.id()))
                .map(job -> ApiResponse.ok(job.status().equals("cancelled") ? "Import cancelled" : "The import had already ended",
                        ImportJobView.of(job)));
    }

    /** A query parameter, or the form field of the same name beside a multipart file. */
    private static String option(ReceivedBody body, String name, String query) {
        if (query != null) {
            return query;
        }
        return body != null && body.isForm() ? body.form().get(name) : null;
    }

    private boolean groupExists(String workspace, long id) {
        return pool.preparedQuery("SELECT 1 FROM contact_groups WHERE workspace = $1 AND id = $2").execute(Tuple.of(workspace, id))
                .map(rows -> rows.rowCount() > 0).await().atMost(Duration.ofSeconds(10));
    }

    /** NDJSON when the raw body says so, or a multipart file is named *.ndjson or *.jsonl; CSV otherwise. */
    private static String format(ReceivedBody body, ReceivedBody.UploadedFile file) {
        if ("application/x-ndjson".equals(body.contentType())) {
            return ImportRows.NDJSON;
        }
        String name = body.isForm() && file.fileName() != null ? file.fileName().toLowerCase(java.util.Locale.ROOT) : "";
        return name.endsWith(".ndjson") || name.endsWith(".jsonl") ? ImportRows.NDJSON : ImportRows.CSV;
    }

    private static String fileName(ReceivedBody.UploadedFile file) {
        String name = file.fileName();
        if (name == null || name.isBlank()) {
            return null;
        }
        return name.length() > 255 ? name.substring(0, 255) : name;
    }

    private static int number(String name, String raw, int fallback, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw);
            if (value >= 1 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw QueryParams.invalid(name, "must be between 1 and " + max);
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ImportJobPage")
    public record JobPage(@Schema(required = true) List<ImportJobView> items, @Schema(required = true, examples = "1") int page,
            @Schema(required = true, examples = "20") int perPage, @Schema(required = true, examples = "false") boolean hasMore) {
    }

    @Schema(name = "ImportJobResponse")
    record JobResponse(@Schema(required = true, examples = "true") boolean status,
            @Schema(required = true, examples = "Import job retrieved successfully") String message,
            @Schema(required = true) ImportJobView data) {
    }

    @Schema(name = "ImportJobListResponse")
    record ListResponse(@Schema(required = true, examples = "true") boolean status,
            @Schema(required = true, examples = "Import jobs retrieved successfully") String message,
            @Schema(required = true) JobPage data) {
    }
}
