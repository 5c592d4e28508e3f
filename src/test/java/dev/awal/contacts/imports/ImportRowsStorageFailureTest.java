package dev.awal.contacts.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A download from the object store that breaks part way is the store's failure, not the file's: the parsers let it
 * out unchecked (the worker then leaves the job for the next claim to resume) instead of calling the file unreadable,
 * which failed the job for good. A file that really is broken still is.
 */
class ImportRowsStorageFailureTest {

    /** {@code text}, then the failure a broken download gives (ImportJobs' stream over the store's buffers). */
    private static InputStream breaksAfter(String text) {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new ImportRows.StorageFailed(new IllegalStateException("connection reset"));
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return read();
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), broken);
    }

    private static String rows(int count) {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < count; i++) {
            csv.append("Row ").append(i).append(",+96650").append(String.format("%07d", i)).append('\n');
        }
        return csv.toString();
    }

    @Test
    void csvBrokenMidFileIsRetriedNotUnreadable() throws Exception {
        try (ImportRows rows = ImportRows.open(ImportRows.CSV, breaksAfter("name,phone\n" + rows(20_000)), new ObjectMapper(), 65536,
                Set.of())) {
            assertThatThrownBy(() -> {
                while (rows.next() != null) {
                    // read on until the download breaks
                }
            }).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ImportRows.StorageFailed.class);
        }
    }

    @Test
    void csvBrokenInTheHeaderIsRetriedNotUnreadable() {
        assertThatThrownBy(() -> ImportRows.open(ImportRows.CSV, breaksAfter("name,ph"), new ObjectMapper(), 65536, Set.of()))
                .isNotInstanceOf(ImportRows.Unreadable.class);
    }

    @Test
    void ndjsonBrokenMidFileIsRetriedNotUnreadable() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            lines.append("{\"name\":\"Row ").append(i).append("\",\"phone\":\"+96650").append(String.format("%07d", i)).append("\"}\n");
        }
        try (ImportRows rows = ImportRows.open(ImportRows.NDJSON, breaksAfter(lines.toString()), new ObjectMapper(), 65536, Set.of())) {
            assertThatThrownBy(() -> {
                while (rows.next() != null) {
                    // read on until the download breaks
                }
            }).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ImportRows.StorageFailed.class);
        }
    }

    @Test
    void aBrokenFileIsStillUnreadable() throws Exception {
        try (ImportRows rows = ImportRows.open(ImportRows.CSV, new ByteArrayInputStream("name,phone\nA,\"unclosed\n".getBytes(StandardCharsets.UTF_8)),
                new ObjectMapper(), 65536, Set.of())) {
            assertThatThrownBy(() -> {
                while (rows.next() != null) {
                    // read on to the broken row
                }
            }).isInstanceOf(ImportRows.Unreadable.class);
        }
        assertThat(new ImportRows.StorageFailed(null).getMessage()).doesNotContain("Exception");
    }
}
