package dev.awal.contacts.imports;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** An import job as clients see it. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@Schema(name = "ImportJob")
public record ImportJobView(
        @Schema(required = true, examples = "17") long id,
        @Schema(required = true, enumeration = { "queued", "running", "completed", "failed", "cancelled" }, examples = "running") String status,
        @Schema(nullable = true, examples = "contacts.csv") String fileName,
        @Schema(required = true, enumeration = { "csv", "ndjson" }, description = "How the file is read: CSV, or one JSON contact per line",
                examples = "csv") String format,
        @Schema(required = true) Options options,
        @Schema(required = true) Counts counts,
        @Schema(required = true, description = "Rows processed out of the file's rows, in percent", examples = "42") int progress,
        @Schema(required = true, description = "Header names that map to no contact field (ignored): at most 100, each cut to 100 characters (the last one …)",
                examples = "[\"notes\"]") List<String> unknownColumns,
        @Schema(nullable = true, description = "Why the job failed", examples = "null") String failure,
        @Schema(required = true, implementation = String.class, format = "date-time", description = "UTC", examples = "2024-01-15T10:30:00Z") Instant createdAt,
        @Schema(required = true, nullable = true, implementation = String.class, format = "date-time", description = "UTC; null while queued", examples = "2024-01-15T10:30:01Z") Instant startedAt,
        @Schema(required = true, nullable = true, implementation = String.class, format = "date-time", description = "UTC; null until the job ends", examples = "2024-01-15T10:31:12Z") Instant finishedAt) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ImportJobOptions")
    public record Options(@Schema(required = true, examples = "109876543210") String phoneNumberId,
            @Schema(nullable = true, examples = "SA") String defaultRegion,
            @Schema(required = true, enumeration = { "update", "skip", "error" }, examples = "update") String onDuplicate,
            @Schema(nullable = true, examples = "7") Long contactGroupId,
            @Schema(required = true, examples = "false") boolean dryRun) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @Schema(name = "ImportJobCounts", description = "created + updated + unchanged + skipped + failed = rows_read. "
            + "In a dry run, created/updated say what the import would do.")
    public record Counts(@Schema(required = true, description = "Data rows in the file", examples = "1000") int totalRows,
            @Schema(required = true, description = "Data rows processed and committed", examples = "420") int rowsRead,
            @Schema(required = true, examples = "400") int created,
            @Schema(required = true, examples = "10") int updated,
            @Schema(required = true, description = "Phone exists and the row changes nothing", examples = "3") int unchanged,
            @Schema(required = true, description = "Phone exists and on_duplicate=skip, or the row was merged with another row of the same phone",
                    examples = "2") int skipped,
            @Schema(required = true, examples = "5") int failed,
            @Schema(required = true, description = "Rows whose phone appeared earlier in the file", examples = "1") int duplicatesInFile) {
    }

    static ImportJobView of(ImportJob job) {
        int progress = job.totalRows() == 0 ? (job.status().equals("completed") ? 100 : 0)
                : (int) Math.min(100, (long) job.committedRows() * 100 / job.totalRows());
        return new ImportJobView(job.id(), job.status(), job.fileName(), job.format(),
                new Options(job.phoneNumberId(), job.defaultRegion(), job.onDuplicate(), job.contactGroupId(), job.dryRun()),
                new Counts(job.totalRows(), job.committedRows(), job.created(), job.updated(), job.unchanged(), job.skipped(),
                        job.failed(), job.duplicatesInFile()),
                progress, job.unknownColumns(), job.failure(), job.createdAt().toInstant(),
                job.startedAt() == null ? null : job.startedAt().toInstant(),
                job.finishedAt() == null ? null : job.finishedAt().toInstant());
    }
}
