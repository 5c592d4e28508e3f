package dev.awal.contacts.imports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.awal.contacts.contact.ContactExport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** A job's report as CSV: row, column, reason, then the row's original cells under the file's own header. */
@ApplicationScoped
public class ImportReport {

    private static final int CHUNK = 500;
    private static final ObjectWriter LINE = new CsvMapper().enable(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS)
            .writer(CsvSchema.emptySchema().withLineSeparator(""));

    private final Pool pool;

    ImportReport(Pool pool) {
        this.pool = pool;
    }

    /** Cells as one CSV line (no line end), each guarded against formula injection as the export is. */
    static String line(List<String> cells) {
        try {
            return LINE.writeValueAsString(cells.stream().map(ContactExport::guard).toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Position(int row, String column) {
    }

    /** The report, read by keyset in chunks so memory stays flat whatever its size. */
    Multi<byte[]> stream(long jobId, List<String> header) {
        List<String> head = new ArrayList<>(List.of("row", "column", "reason"));
        head.addAll(header);
        byte[] first = (line(head) + "\r\n").getBytes(StandardCharsets.UTF_8);
        Multi<byte[]> rows = Multi.createBy().repeating()
                .uni(() -> new AtomicReference<>(new Position(0, "")), after -> chunk(jobId, after.get())
                        .invoke(found -> {
                            if (!found.isEmpty()) {
                                Row last = found.get(found.size() - 1);
                                after.set(new Position(last.getInteger("row_number"), last.getString("column_name")));
                            }
                        }))
                .whilst(found -> found.size() == CHUNK)
                .filter(found -> !found.isEmpty())
                .map(found -> {
                    StringBuilder out = new StringBuilder(found.size() * 128);
                    for (Row row : found) {
                        out.append(line(List.of(String.valueOf(row.getInteger("row_number")), row.getString("column_name"),
                                row.getString("reason"))));
                        String original = row.getString("original");
                        if (!original.isEmpty()) {
                            out.append(',').append(original);
                        }
                        out.append("\r\n");
                    }
                    return out.toString().getBytes(StandardCharsets.UTF_8);
                });
        return Multi.createBy().concatenating().streams(Multi.createFrom().item(first), rows);
    }

    private Uni<List<Row>> chunk(long jobId, Position after) {
        return pool.preparedQuery("""
                SELECT row_number, column_name, reason, original FROM import_job_errors
                WHERE job_id = $1 AND (row_number, column_name) > ($2, $3) ORDER BY row_number, column_name LIMIT $4""")
                .execute(Tuple.of(jobId, after.row(), after.column(), CHUNK))
                .map(rows -> {
                    List<Row> list = new ArrayList<>();
                    rows.forEach(list::add);
                    return list;
                });
    }
}
