package dev.awal.contacts.imports;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.contact.ContactUpsert;

/**
 * The records of an import file, one at a time, whatever its format (CSV or NDJSON). Blocking: used on
 * worker threads only.
 */
interface ImportRows extends Closeable {

    String CSV = "csv";
    String NDJSON = "ndjson";

    /**
     * The stored file's download failed part way (the object store, not the file): never reported as the file's
     * fault. It leaves the parser as an {@link java.io.UncheckedIOException} (see {@link #rethrowStorageFailure}), and
     * the worker leaves the job for the next claim to resume, as for any failure that a retry can cure.
     */
    final class StorageFailed extends IOException {
        StorageFailed(Throwable cause) {
            super("reading the import file from object storage failed", cause);
        }
    }

    /** Throws a storage failure found among {@code e}'s causes unchecked, so it is not taken for an unreadable file. */
    static void rethrowStorageFailure(IOException e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof StorageFailed failed) {
                throw new java.io.UncheckedIOException(failed);
            }
        }
    }

    /** Why a file cannot be read; the message is for the client (no class names, no paths). */
    final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /**
     * One record: its number in the file (CSV: the header is row 1; NDJSON: the line number), its original
     * cells as the error report shows them, and its length in characters.
     */
    record Record(int number, List<String> cells, int chars) {
    }

    /** What a first full read of a file found: its data rows (stopping past the limit), header and unknown columns. */
    record Scan(int rows, List<String> header, List<String> unknownColumns) {
    }

    /** The header the error report prints above the original cells. */
    List<String> header();

    /** Names of the columns (CSV) or keys (NDJSON) that map to no field: reported once in the job. */
    List<String> unknownColumns();

    /** The file's name for a field: its CSV header cell, or the JSON key. */
    String columnOf(String field);

    /** The next record, or null at the end. */
    Record next() throws Unreadable;

    /** The record as a contact, by exactly the API's rules for a create; throws the create's ApiException. */
    ContactUpsert.ImportRow validate(Record record, String region, Long groupId);

    /** {@code attributeKeys}: the workspace's custom attribute keys, which CSV headers may name ({@link #attributeKeys}). */
    static ImportRows open(String format, InputStream in, ObjectMapper json, int maxRowChars, java.util.Set<String> attributeKeys)
            throws Unreadable, IOException {
        return NDJSON.equals(format) ? NdjsonRows.open(in, json, maxRowChars) : CsvRows.open(in, attributeKeys);
    }

    static Scan scan(String format, Path file, int maxRows, ObjectMapper json, int maxRowChars, java.util.Set<String> attributeKeys)
            throws Unreadable, IOException {
        return NDJSON.equals(format) ? NdjsonRows.scan(file, maxRows, json, maxRowChars) : CsvRows.scan(file, maxRows, attributeKeys);
    }

    /**
     * The workspace's custom attribute keys, read when a file is opened (blocking: worker threads only). A definition
     * deleted later refuses its column's values when rows are written, as for any unknown key.
     */
    static java.util.Set<String> attributeKeys(io.vertx.mutiny.sqlclient.Pool pool, String workspace) {
        return pool.preparedQuery("SELECT key FROM contact_attributes WHERE workspace = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(workspace)).map(rows -> {
                    java.util.Set<String> keys = new java.util.HashSet<>();
                    rows.forEach(row -> keys.add(row.getString(0)));
                    return keys;
                }).await().atMost(java.time.Duration.ofSeconds(30));
    }
}
