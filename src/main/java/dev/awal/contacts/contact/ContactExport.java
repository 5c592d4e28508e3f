package dev.awal.contacts.contact;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import dev.awal.contacts.api.PhoneNumbers;
import dev.awal.contacts.api.QueryParams;
import dev.awal.contacts.attributes.StoredAttributes;
import dev.awal.contacts.persistence.Contact;
import dev.awal.contacts.persistence.ContactFilter;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Streams a workspace's contacts as CSV or NDJSON: keyset chunks of {@value #CHUNK} rows, each one query
 * on the reactive pool, the next one read while the current one is encoded (never more than one ahead), so
 * memory stays flat whatever the size, and a client that goes away cancels the stream before the next query.
 */
@ApplicationScoped
public class ContactExport {

    static final int CHUNK = 1000;
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
    private final Pool pool;

    ContactExport(ObjectMapper json, Pool pool) {
        this.json = json;
        this.pool = pool;
        CsvSchema schema = CsvSchema.emptySchema().withLineSeparator("\r\n");
        // Every text cell quoted: with the formula guard below, no cell is read as a formula by a spreadsheet.
        this.csv = new CsvMapper().enable(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS).writer(schema);
    }

    /**
     * The export as byte chunks: the header (and BOM) first, then one chunk per keyset page. A CSV has one column per
     * custom attribute the workspace defines when the export starts (named by its key, in key order) after the
     * built-in columns, so the importer reads them back; NDJSON lines carry custom_attributes as an object.
     */
    Multi<byte[]> stream(String workspace, ContactFilter filter, Format format, boolean bom,
            Function<Contact, ContactView> view) {
        Uni<List<String>> keys = format != Format.CSV ? Uni.createFrom().item(List.of())
                : pool.preparedQuery("SELECT key FROM contact_attributes WHERE workspace = $1 ORDER BY key")
                        .execute(Tuple.of(workspace)).map(rows -> {
                            List<String> found = new ArrayList<>();
                            rows.forEach(row -> found.add(row.getString(0)));
                            return found;
                        });
        return keys.onItem().transformToMulti(attributeKeys -> stream(workspace, filter, format, bom, view, attributeKeys));
    }

    private Multi<byte[]> stream(String workspace, ContactFilter filter, Format format, boolean bom,
            Function<Contact, ContactView> view, List<String> attributeKeys) {
        List<String> header = new ArrayList<>(COLUMNS);
        header.addAll(attributeKeys);
        byte[] head = format == Format.CSV ? csvRows(List.<String[]>of(header.toArray(String[]::new))) : new byte[0];
        if (bom && format == Format.CSV) { // a byte-order mark is for spreadsheets; JSON text must not start with one
            byte[] withBom = new byte[BOM.length + head.length];
            System.arraycopy(BOM, 0, withBom, 0, BOM.length);
            System.arraycopy(head, 0, withBom, BOM.length, head.length);
            head = withBom;
        }
        Multi<byte[]> rows = Multi.createBy().repeating()
                .uni(() -> new Pages(workspace, filter), Pages::next)
                .whilst(found -> found.size() == CHUNK)
                .filter(found -> !found.isEmpty())
                .map(found -> format == Format.CSV
                        ? csvRows(found.stream().map(contact -> cells(contact, attributeKeys)).toList())
                        : ndjson(found.stream().map(view).toList()));
        return head.length == 0 ? rows : Multi.createBy().concatenating().streams(Multi.createFrom().item(head), rows);
    }

    /**
     * The keyset pages of one export, each asked for as soon as the previous one has arrived: the database reads page
     * N+1 while page N is encoded and written to the client, instead of waiting for it. At most one page is read
     * ahead, so memory stays flat; a client that goes away cancels the stream, and the page being read ahead is
     * dropped when it arrives.
     */
    private final class Pages {
        private final String workspace;
        private final ContactFilter filter;
        private final AtomicReference<CompletableFuture<List<Contact>>> ahead = new AtomicReference<>();

        Pages(String workspace, ContactFilter filter) {
            this.workspace = workspace;
            this.filter = filter;
        }

        Uni<List<Contact>> next() {
            CompletableFuture<List<Contact>> read = ahead.getAndSet(null);
            Uni<List<Contact>> page = read == null ? chunk(workspace, filter, null) : Uni.createFrom().completionStage(read);
            return page.invoke(found -> {
                if (found.size() == CHUNK) {
                    ahead.set(chunk(workspace, filter, found.get(found.size() - 1)).subscribeAsCompletionStage());
                }
            });
        }
    }

    /**
     * One keyset page, read with the reactive client straight into plain (unmanaged) Contact objects: the list's
     * filters and order as SQL, without a Hibernate session or entity loading, which cost most of an export's time.
     */
    private Uni<List<Contact>> chunk(String workspace, ContactFilter filter, Contact after) {
        StringBuilder sql = new StringBuilder("SELECT " + SELECTED + " FROM contacts WHERE workspace = $1");
        List<Object> params = new ArrayList<>(List.of(workspace));
        if (filter.groupId() != null) {
            params.add(filter.groupId());
            sql.append(" AND contact_group_id = $").append(params.size());
        }
        if (filter.branchId() != null) {
            params.add(filter.branchId());
            sql.append(" AND branch_id = $").append(params.size());
        }
        if (filter.favorite() != null) {
            params.add(filter.favorite());
            sql.append(" AND is_favorite = $").append(params.size());
        }
        if (filter.phoneNumberId() != null) {
            params.add(filter.phoneNumberId());
            sql.append(" AND phone_number_id = $").append(params.size());
        }
        if (filter.search() != null) {
            // The list's search (ContactFilter.where), in SQL.
            params.add(QueryParams.escapeLike(filter.search()));
            sql.append(" AND (search_text LIKE contacts_search_pattern($").append(params.size()).append(", '%') ESCAPE '!'");
            String digits = PhoneNumbers.digitsOf(filter.search());
            if (!digits.isEmpty()) {
                params.add("%" + digits + "%");
                sql.append(" OR phone LIKE $").append(params.size());
            }
            sql.append(')');
        }
        String column = filter.sort().param;
        String direction = filter.descending() ? " DESC" : "";
        if (after != null) {
            params.add(switch (filter.sort()) {
                case CREATED_AT -> after.createdAt.atOffset(ZoneOffset.UTC);
                case UPDATED_AT -> after.updatedAt.atOffset(ZoneOffset.UTC);
                case NAME -> after.name;
            });
            params.add(after.id);
            sql.append(" AND (").append(column).append(", id) ").append(filter.descending() ? "<" : ">")
                    .append(" ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
        }
        sql.append(" ORDER BY ").append(column).append(direction).append(", id").append(direction).append(" LIMIT ").append(CHUNK);
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(found -> {
            List<Contact> contacts = new ArrayList<>(found.size());
            for (Row row : found) {
                contacts.add(contact(row));
            }
            return contacts;
        });
    }

    private static final String SELECTED = "id, workspace, name, full_name, phone, email, branch_id, contact_group_id, "
            + "description, address, is_favorite, avatar_key, phone_number_id, version, created_at, updated_at, "
            + "custom_attributes::text";

    private static Contact contact(Row row) {
        Contact contact = new Contact();
        contact.id = row.getLong(0);
        contact.workspace = row.getString(1);
        contact.name = row.getString(2);
        contact.fullName = row.getString(3);
        contact.phone = row.getString(4);
        contact.email = row.getString(5);
        contact.branchId = row.getLong(6);
        contact.contactGroupId = row.getLong(7);
        contact.description = row.getString(8);
        contact.address = row.getString(9);
        contact.isFavorite = row.getBoolean(10);
        contact.avatarKey = row.getString(11);
        contact.phoneNumberId = row.getString(12);
        contact.version = row.getInteger(13);
        contact.createdAt = row.getOffsetDateTime(14).toInstant();
        contact.updatedAt = row.getOffsetDateTime(15).toInstant();
        contact.customAttributes = row.getString(16);
        return contact;
    }

    /** The built-in cells, then each attribute's value (empty when the contact has none) in {@code attributeKeys} order. */
    static String[] cells(Contact contact, List<String> attributeKeys) {
        String[] builtIn = cells(contact);
        if (attributeKeys.isEmpty()) {
            return builtIn;
        }
        Map<String, Object> values = StoredAttributes.view(contact.customAttributes);
        String[] cells = java.util.Arrays.copyOf(builtIn, builtIn.length + attributeKeys.size());
        for (int i = 0; i < attributeKeys.size(); i++) {
            Object value = values.get(attributeKeys.get(i));
            cells[builtIn.length + i] = value == null ? ""
                    : value instanceof java.math.BigDecimal number ? number.toPlainString() : guard(value.toString());
        }
        return cells;
    }

    static String[] cells(Contact contact) {
        return new String[] { guard(contact.name), guard(contact.fullName), contact.phone, guard(contact.email),
                guard(contact.description), guard(contact.address), String.valueOf(contact.isFavorite),
                contact.contactGroupId == null ? "" : contact.contactGroupId.toString(),
                contact.branchId == null ? "" : contact.branchId.toString() };
    }

    /**
     * OWASP's CSV-injection defence: a cell that starts with {@code = + - @}, tab or carriage return is
     * prefixed with a single quote, so a spreadsheet shows it as text instead of evaluating it. So is a cell
     * that starts with quotes followed by one of those ({@code '=x}): the import strips one quote from such a
     * cell ({@link #unguard}), and without it {@code '=x} came back as {@code =x}.
     */
    public static String guard(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return guarded(value, 0) ? "'" + value : value;
    }

    /** The import's inverse of {@link #guard}: one leading quote off a cell that starts with quotes and a trigger. */
    public static String unguard(String value) {
        return value.length() > 1 && value.charAt(0) == '\'' && guarded(value, 1) ? value.substring(1) : value;
    }

    /** Whether, after any quotes from {@code from} on, the value goes on with a character a spreadsheet evaluates. */
    private static boolean guarded(String value, int from) {
        int i = from;
        while (i < value.length() && value.charAt(i) == '\'') {
            i++;
        }
        if (i == value.length()) {
            return false;
        }
        return switch (value.charAt(i)) {
            case '=', '+', '-', '@', '\t', '\r' -> true;
            default -> false;
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
