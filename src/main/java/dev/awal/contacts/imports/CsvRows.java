package dev.awal.contacts.imports;

import java.io.BufferedInputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.awal.contacts.attributes.AttributeChanges;
import dev.awal.contacts.contact.ContactUpsert;

/**
 * Reads an import CSV (RFC 4180, UTF-8 with or without BOM) with Jackson's CSV parser: the header row maps
 * columns to contact fields by name, case- and space-insensitively; then one record at a time. Blocking:
 * used on worker threads only.
 */
final class CsvRows implements ImportRows {

    static final Set<String> FIELDS = Set.of("name", "full_name", "phone", "email", "description", "address",
            "is_favorite", "contact_group_id", "branch_id");
    /**
     * Longest header row (its cells and separators): the job keeps the header for its error report, which prints it
     * above the original cells; without a cap a 200 MB upload could be one header row, held whole by every report
     * request. A thousand times the common header's length, and room for 10,000 columns of 100 characters.
     */
    static final int MAX_HEADER_CHARS = 1024 * 1024;
    /** Longest single cell the parser holds in memory; beyond it the file cannot be read on. */
    static final int MAX_CELL_CHARS = 4 * 1024 * 1024;

    private static final CsvMapper MAPPER = CsvMapper.builder(CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_CELL_CHARS).build()).build())
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private final InputStream in;
    private final MappingIterator<List<String>> records;
    private final List<String> header;
    /** Column position to contact field; unmapped positions are unknown columns. */
    private final Map<Integer, String> fields = new LinkedHashMap<>();
    /** Column position to custom attribute key: a header that names a defined attribute (a built-in name wins). */
    private final Map<Integer, String> attributes = new LinkedHashMap<>();
    private final List<String> unknown = new ArrayList<>();
    private int rowNumber = 1;

    private CsvRows(InputStream in, MappingIterator<List<String>> records, List<String> header, Set<String> attributeKeys) {
        this.in = in;
        this.records = records;
        this.header = header;
        for (int i = 0; i < header.size(); i++) {
            String key = header.get(i).strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_]+", "_");
            if (FIELDS.contains(key) && !fields.containsValue(key)) {
                fields.put(i, key);
            } else if (!FIELDS.contains(key) && attributeKeys.contains(key) && !attributes.containsValue(key)) {
                attributes.put(i, key);
            } else {
                unknown.add(header.get(i));
            }
        }
    }

    /** Opens the file and reads its header; a file without a phone and a name column is unreadable. */
    static CsvRows open(InputStream source, Set<String> attributeKeys) throws Unreadable, IOException {
        InputStream in = new BufferedInputStream(source, 64 * 1024);
        try {
            in.mark(3);
            byte[] bom = in.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xff) == 0xEF && (bom[1] & 0xff) == 0xBB && (bom[2] & 0xff) == 0xBF)) {
                in.reset();
            }
            // Invalid UTF-8 (binary garbage, another encoding) is an error, never silently replaced.
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
            MappingIterator<List<String>> records;
            try {
                records = MAPPER.readerForListOf(String.class).with(CsvSchema.emptySchema()).readValues(reader);
            } catch (IOException e) {
                throw unreadable(e, 1);
            }
            if (!hasNext(records, 1)) {
                throw new Unreadable("The file has no header row");
            }
            List<String> header = next(records, 1);
            long headerChars = header.size() - 1L + header.stream().mapToLong(String::length).sum();
            if (headerChars > MAX_HEADER_CHARS) {
                throw new Unreadable("The header row is longer than " + MAX_HEADER_CHARS + " characters");
            }
            CsvRows rows = new CsvRows(in, records, header, attributeKeys);
            if (!rows.fields.containsValue("phone") || !rows.fields.containsValue("name")) {
                throw new Unreadable("The header row must name a phone and a name column (found "
                        + preview(header) + ")");
            }
            return rows;
        } catch (Unreadable | IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    @Override
    public List<String> header() {
        return header;
    }

    @Override
    public List<String> unknownColumns() {
        return unknown;
    }

    @Override
    public String columnOf(String field) {
        for (Map.Entry<Integer, String> entry : fields.entrySet()) {
            if (entry.getValue().equals(field)) {
                return header.get(entry.getKey());
            }
        }
        for (Map.Entry<Integer, String> entry : attributes.entrySet()) {
            if (field.equals(AttributeChanges.FIELD + "." + entry.getValue())) {
                return header.get(entry.getKey());
            }
        }
        return field;
    }

    /** The next record, or null at the end; its number counts the header as row 1. */
    @Override
    public Record next() throws Unreadable {
        if (!hasNext(records, rowNumber + 1)) {
            return null;
        }
        rowNumber++;
        List<String> cells = next(records, rowNumber);
        return new Record(rowNumber, cells, cells.stream().mapToInt(String::length).sum());
    }

    /** The row's cells by field name, as a form create would send them, judged by the create's rules. */
    @Override
    public ContactUpsert.ImportRow validate(Record record, String region, Long groupId) {
        Map<String, String> cells = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < record.cells().size(); i++) {
            String field = fields.get(i);
            if (field != null) {
                cells.put(field, record.cells().get(i));
            }
            String key = attributes.get(i);
            if (key != null) {
                values.put(key, record.cells().get(i));
            }
        }
        return ContactUpsert.validateRow(cells, values, region, groupId);
    }

    /** Reads the whole file once: how many data rows it has (at most {@code maxRows} + 1), or why it cannot be read. */
    static ImportRows.Scan scan(Path file, int maxRows, Set<String> attributeKeys) throws Unreadable, IOException {
        try (CsvRows rows = open(Files.newInputStream(file), attributeKeys)) {
            int count = 0;
            while (count <= maxRows && rows.next() != null) {
                count++;
            }
            return new Scan(count, rows.header(), rows.unknownColumns());
        }
    }

    private static boolean hasNext(MappingIterator<List<String>> records, int row) throws Unreadable {
        try {
            return records.hasNextValue();
        } catch (IOException e) {
            throw unreadable(e, row);
        }
    }

    private static List<String> next(MappingIterator<List<String>> records, int row) throws Unreadable {
        try {
            return records.nextValue();
        } catch (IOException e) {
            throw unreadable(e, row);
        }
    }

    /** A client-safe reason: Jackson's own messages name classes and source locations. */
    private static Unreadable unreadable(IOException e, int row) {
        ImportRows.rethrowStorageFailure(e);
        if (e instanceof CharacterCodingException || e.getCause() instanceof CharacterCodingException) {
            // No row number: the decoder reads ahead of the parser, so it would be a guess.
            return new Unreadable("The file is not UTF-8 text");
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("String value length")) {
            return new Unreadable("Row " + row + " has a cell longer than " + MAX_CELL_CHARS + " characters");
        }
        if (message.contains("Missing closing quote") || message.contains("quote")) {
            return new Unreadable("Row " + row + " has a quoted value that is never closed (unbalanced quotes)");
        }
        if (e instanceof JsonProcessingException) {
            return new Unreadable("The file is not valid CSV at row " + row);
        }
        return new Unreadable("The file could not be read at row " + row);
    }

    private static String preview(List<String> header) {
        List<String> names = header.stream().limit(10).map(name -> name.length() > 40 ? name.substring(0, 40) + "…" : name).toList();
        return names.isEmpty() ? "no columns" : String.join(", ", names) + (header.size() > 10 ? ", …" : "");
    }

    @Override
    public void close() throws IOException {
        try {
            records.close();
        } finally {
            in.close();
        }
    }
}
