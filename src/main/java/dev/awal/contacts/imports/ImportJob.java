package dev.awal.contacts.imports;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import io.vertx.mutiny.sqlclient.Row;

/**
 * One row of import_jobs. {@code attempts}: claims since the last one that committed a batch, this one included.
 */
public record ImportJob(long id, String workspace, String status, String fileName, long fileBytes, int totalRows,
        String phoneNumberId, String defaultRegion, String onDuplicate, Long contactGroupId, boolean dryRun,
        int committedRows, int created, int updated, int unchanged, int skipped, int failed, int duplicatesInFile,
        List<String> unknownColumns, String failure, String leaseOwner, OffsetDateTime createdAt, OffsetDateTime startedAt,
        OffsetDateTime finishedAt, String fileKey, String format, int[] partitionRows, int attempts) {

    static ImportJob of(Row row) {
        String[] unknown = row.getArrayOfStrings("unknown_columns");
        return new ImportJob(row.getLong("id"), row.getString("workspace"), row.getString("status"),
                row.getString("file_name"), row.getLong("file_bytes"), row.getInteger("total_rows"),
                row.getString("phone_number_id"), row.getString("default_region"), row.getString("on_duplicate"),
                row.getLong("contact_group_id"), row.getBoolean("dry_run"), row.getInteger("committed_rows"),
                row.getInteger("created"), row.getInteger("updated"), row.getInteger("unchanged"), row.getInteger("skipped"),
                row.getInteger("failed"), row.getInteger("duplicates_in_file"),
                unknown == null ? List.of() : Arrays.asList(unknown), row.getString("failure"), row.getString("lease_owner"),
                row.getOffsetDateTime("created_at"), row.getOffsetDateTime("started_at"), row.getOffsetDateTime("finished_at"),
                row.getString("file_key"), row.getString("format"), partitionRows(row),
                row.getInteger("attempts"));
    }

    /** Per partition, the data rows of the file up to which that partition has committed; null before a first claim. */
    private static int[] partitionRows(Row row) {
        Integer[] positions = row.getArrayOfIntegers("partition_rows");
        return positions == null ? null : Arrays.stream(positions).mapToInt(Integer::intValue).toArray();
    }
}
