package dev.awal.contacts.contact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.awal.contacts.api.Cursor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Streams a workspace's contacts as CSV or NDJSON: keyset chunks of {@value #CHUNK} rows, each read in
 * its own short session and encoded before the next is requested, so memory stays flat whatever the
 * size, and a client that goes away cancels the stream before the next query.
 */
@ApplicationScoped
public class ContactExport {

    static final int CHUNK = 500;
    /** The columns the importer reads, in this order. */
    static final List<String> COLUMNS = List.of("name", "full_name", "phone", "email", "description", "address",
            "is_favorite", "contact_group_id", "branch_id");
    private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    public enum Format {
        CSV("text/csv; charset=UTF-8", "csv"), NDJSON("application/x-ndjson", "ndjson");

        final String contentType;
        final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }
    }

    private final ObjectWriter csv;
    private final ObjectMapper json;

    ContactExport(ObjectMapper json) {
        this.json = json;
        CsvSchema schema = CsvSchema.emptySchema().withLineSeparator("\r\n");
        // Every text cell quoted: with the formula guard below, no cell is read as a formula by a spreadsheet.
        this.csv = new CsvMapper().enable(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS).writer(schema);
    }

    /** The export as byte chunks: the header (and BOM) first, then one chunk per keyset page. */
    Multi<byte[]> stream(String workspace, ContactFilter filter, Format format, boolean bom,
            Function<Contact, ContactView> view) {
        byte[] head = format == Format.CSV ? csvRows(List.<String[]>of(COLUMNS.toArray(String[]::new))) : new byte[0];
        if (bom) {
            byte[] withBom = new byte[BOM.length + head.length];
            System.arraycopy(BOM, 0, withBom, 0, BOM.length);
            System.arraycopy(head, 0, withBom, BOM.length, head.length);
            head = withBom;
        }
        Multi<byte[]> rows = Multi.createBy().repeating()
                .uni(() -> new AtomicReference<Cursor>(), after -> chunk(workspace, filter, after.get())
                        .invoke(found -> {
                            if (!found.isEmpty()) {
                                after.set(filter.cursorAfter(found.get(found.size() - 1)));
                            }
                        }))
                .whilst(found -> found.size() == CHUNK)
                .filter(found -> !found.isEmpty())
                .map(found -> format == Format.CSV
                        ? csvRows(found.stream().map(ContactExport::cells).toList())
                        : ndjson(found.stream().map(view).toList()));
        return head.length == 0 ? rows : Multi.createBy().concatenating().streams(Multi.createFrom().item(head), rows);
    }

    private static Uni<List<Contact>> chunk(String workspace, ContactFilter filter, Cursor after) {
        ContactFilter.Query query = filter.where(workspace, after);
        return Panache.withSession(() -> Contact.<Contact>find(query.where(), filter.panacheSort(), query.params())
                .range(0, CHUNK - 1).list());
    }

    static String[] cells(Contact contact) {
        return new String[] { guard(contact.name), guard(contact.fullName), contact.phone, guard(contact.email),
                guard(contact.description), guard(contact.address), String.valueOf(contact.isFavorite),
                contact.contactGroupId == null ? "" : contact.contactGroupId.toString(),
                contact.branchId == null ? "" : contact.branchId.toString() };
    }

    /**
     * OWASP's CSV-injection defence: a cell that starts with {@code = + - @}, tab or carriage return is
     * prefixed with a single quote, so a spreadsheet shows it as text instead of evaluating it.
     */
    public static String guard(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return switch (value.charAt(0)) {
            case '=', '+', '-', '@', '\t', '\r' -> "'" + value;
            default -> value;
        };
    }

    private byte[] csvRows(List<String[]> rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(rows.size() * 128);
        try (SequenceWriter writer = csv.writeValues(out)) {
            for (String[] row : rows) {
                writer.write(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private byte[] ndjson(List<ContactView> contacts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(contacts.size() * 384);
        try {
            for (ContactView contact : contacts) {
                out.write(json.writeValueAsBytes(contact));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
