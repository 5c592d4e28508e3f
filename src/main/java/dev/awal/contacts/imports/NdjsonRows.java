package dev.awal.contacts.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.attributes.AttributeChanges;
import dev.awal.contacts.contact.ContactUpsert;

/**
 * Reads an NDJSON import file: one JSON object per line (LF or CRLF, UTF-8), blank lines ignored. Each line is
 * judged by exactly the JSON create's rules, keys that are no contact field (an export's id, avatar, timestamps)
 * dropped and reported once. Lines are split here rather than by Jackson's value iterator so that one broken
 * line is one failed row, not the end of the file; a line is held up to maxRowChars characters, the rest of a
 * longer one is skipped unread. Blocking: used on worker threads only.
 */
final class NdjsonRows implements ImportRows {

    private static final List<String> HEADER = List.of("line");
    private static final int MAX_UNKNOWN = 100;

    private final BufferedReader reader;
    private final ObjectMapper json;
    private final int maxRowChars;
    private int lineNumber;

    private NdjsonRows(BufferedReader reader, ObjectMapper json, int maxRowChars) {
        this.reader = reader;
        this.json = json;
        this.maxRowChars = maxRowChars;
    }

    static NdjsonRows open(InputStream in, ObjectMapper json, int maxRowChars) {
        // Invalid UTF-8 is an error, never silently replaced.
        Reader decoded = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return new NdjsonRows(new BufferedReader(decoded, 64 * 1024), json, maxRowChars);
    }

    /** Reads the whole file once: its non-blank lines (at most {@code maxRows} + 1) and the keys that are no field. */
    static Scan scan(Path file, int maxRows, ObjectMapper json, int maxRowChars) throws Unreadable, IOException {
        try (NdjsonRows rows = open(Files.newInputStream(file), json, maxRowChars)) {
            Set<String> unknown = new LinkedHashSet<>();
            int count = 0;
            Record record;
            while (count <= maxRows && (record = rows.next()) != null) {
                count++;
                if (unknown.size() < MAX_UNKNOWN && record.chars() <= maxRowChars
                        && rows.parse(record.cells().get(0)) instanceof ObjectNode object) {
                    object.fieldNames().forEachRemaining(key -> {
                        if (!CsvRows.FIELDS.contains(key) && !key.equals(AttributeChanges.FIELD) && unknown.size() < MAX_UNKNOWN) {
                            unknown.add(key);
                        }
                    });
                }
            }
            return new Scan(count, HEADER, new ArrayList<>(unknown));
        }
    }

    @Override
    public List<String> header() {
        return HEADER;
    }

    @Override
    public List<String> unknownColumns() {
        return List.of();
    }

    @Override
    public String columnOf(String field) {
        return field;
    }

    @Override
    public Record next() throws Unreadable {
        try {
            StringBuilder line = new StringBuilder();
            while (true) {
                line.setLength(0);
                int chars = 0;
                int c;
                while ((c = reader.read()) >= 0 && c != '\n') {
                    if (chars++ < maxRowChars + 1) {
                        line.append((char) c);
                    }
                }
                if (c < 0 && chars == 0) {
                    return null;
                }
                lineNumber++;
                if (line.length() > 0 && line.charAt(line.length() - 1) == '\r' && chars <= maxRowChars + 1) {
                    line.setLength(line.length() - 1);
                    chars--;
                }
                if (!line.toString().isBlank()) {
                    return new Record(lineNumber, List.of(line.toString()), chars);
                }
                if (c < 0) {
                    return null;
                }
            }
        } catch (CharacterCodingException e) {
            throw new Unreadable("The file is not UTF-8 text");
        } catch (IOException e) {
            ImportRows.rethrowStorageFailure(e);
            throw new Unreadable("The file could not be read at line " + (lineNumber + 1));
        }
    }

    @Override
    public ContactUpsert.ImportRow validate(Record record, String region, Long groupId) {
        JsonNode node = parse(record.cells().get(0));
        if (node == null) {
            throw ApiException.invalid(Map.of("line", "is not valid JSON"));
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid(Map.of("line", "must be a JSON object (one contact per line)"));
        }
        ObjectNode contact = json.createObjectNode();
        object.fields().forEachRemaining(field -> {
            if (CsvRows.FIELDS.contains(field.getKey()) || field.getKey().equals(AttributeChanges.FIELD)) {
                contact.set(field.getKey(), field.getValue());
            }
        });
        return ContactUpsert.validateJson(contact, region, groupId, json);
    }

    /** The line as JSON, or null when it is not JSON. */
    private JsonNode parse(String line) {
        try {
            // Decimals as BigDecimal, so a number attribute imports exactly as exported.
            return json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
