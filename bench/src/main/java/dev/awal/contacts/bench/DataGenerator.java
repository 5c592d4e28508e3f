package dev.awal.contacts.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import com.google.i18n.phonenumbers.PhoneNumberUtil;

/**
 * Loads a realistic contacts data set straight into the service's schema (already migrated by the
 * service's Flyway) with COPY.
 * <p>
 * Rows are written in time order, so ids grow with {@code created_at} as they do in a real table,
 * and tenants are interleaved: every 11th row belongs to one of nine other workspaces. Ids are
 * given explicitly, which makes the main workspace's ids computable ({@link #mainId}) by the load
 * generator and by pgbench scripts without shipping an id list around.
 * <p>
 * The secondary indexes are dropped for the load and rebuilt after it from their own definitions
 * (whatever the migrations say), which is several times faster than maintaining trigram GIN
 * indexes row by row.
 */
public final class DataGenerator {

    static final String MAIN_WORKSPACE = "bench";
    static final int OTHER_WORKSPACES = 9;
    static final int MAIN_GROUPS = 50;
    static final int MAIN_BRANCHES = 20;
    static final String[] SENDER_IDS = { "109876543210", "109876543211", "109876543212" };

    /** Rare names planted at a known rate so that "selective" search terms have a few dozen matches. */
    static final String RARE_LATIN = "Kowalczyk";
    static final String[] RARE_ARABIC = { "الأصبهاني", "الاصبهاني", "الإصبهاني", "الأَصْبَهاني" };
    static final int RARE_EVERY = 20_000;

    private static final String[] ARABIC_FIRST = {
        "أحمد", "احمد", "أَحْمَد", "محمد", "مُحَمَّد", "محمـد", "محمود", "مصطفى", "إبراهيم", "ابراهيم", "إسماعيل",
        "اسماعيل", "أسامة", "اسامه", "عبدالله", "عبد الله", "عبدالرحمن", "خالد", "فيصل", "سعود", "سلطان", "ناصر",
        "يوسف", "يحيى", "يحيي", "عيسى", "موسى", "علي", "عَلِيّ", "عمر", "عُمَر", "حمزة", "طلحة", "أنس", "انس", "إياد",
        "آدم", "ادم", "زياد", "ماجد", "راشد", "حمد", "جاسم", "سالم", "بدر", "تركي", "نايف", "مشعل",
        "فاطمة", "فاطمه", "فَاطِمَة", "عائشة", "عايشة", "خديجة", "مريم", "آمنة", "امنة", "ليلى", "ليلي", "هدى",
        "سلمى", "نورة", "نوره", "هند", "سارة", "ساره", "أمل", "امل", "إيمان", "ايمان", "رنا", "لمى", "ريم",
        "منيرة", "لطيفة", "شيخة", "حصة", "العنود", "جواهر", "دانة", "رقية", "زينب", "أسماء", "اسماء" };
    private static final String[] ARABIC_FATHER = {
        "بن علي", "بن محمد", "بن أحمد", "بن سعيد", "بن خالد", "بن عبدالله", "بن إبراهيم", "بن حمد", "بنت محمد",
        "بنت علي", "بنت أحمد", "بن يحيى", "بن موسى", "بن عيسى" };
    private static final String[] ARABIC_FAMILY = {
        "القحطاني", "العتيبي", "الشمري", "الدوسري", "الحربي", "المطيري", "الزهراني", "الغامدي", "السبيعي", "العنزي",
        "البلوشي", "الكعبي", "المنصوري", "الهاشمي", "الأنصاري", "الانصاري", "الإدريسي", "الادريسي", "الرميثي",
        "آل ثاني", "ال ثاني", "الكواري", "المري", "الصباح", "العجمي", "الرشيدي", "البوسعيدي", "الحارثي",
        "آل خليفة", "الأمين", "أبو بكر", "الشهري", "القرشي", "الجابري", "الخزرجي", "النعيمي", "الظاهري",
        "المهيري", "السويدي", "الفلاسي", "الشامسي", "العامري", "الكبيسي", "المهندي", "البنعلي", "الزدجالي",
        "المعمري", "الرواحي", "الهنائي", "العلوي" };
    private static final String[] LATIN_FIRST = {
        "Ahmed", "Ahmad", "Mohammed", "Muhammad", "Mohamed", "Fatima", "Aisha", "Omar", "Yusuf", "Ibrahim",
        "Khalid", "Layla", "Noura", "Sara", "Hassan", "Hussein", "Ali", "John", "Michael", "David", "James",
        "Sarah", "Emily", "Maria", "José", "François", "Zoë", "Priya", "Rajesh", "Anil", "Sunita", "Arjun",
        "Wei", "Li", "Chen", "Maria", "Juan", "Carlos", "Ana", "Olga", "Ivan", "Fatih", "Ayşe", "Mehmet",
        "Joseph", "Grace", "Mark", "Rosa", "Imran", "Ayesha", "Bilal", "Tariq", "Nadia", "Rania", "Karim" };
    private static final String[] LATIN_LAST = {
        "Smith", "Khan", "Patel", "Al-Farsi", "Al Mansoori", "O'Brien", "Müller", "García", "Nguyen",
        "Fernandes", "D'Souza", "Sharma", "Singh", "Kumar", "Haddad", "Nasser", "Rahman", "Hussain", "Santos",
        "Reyes", "Cruz", "Wang", "Zhang", "Kim", "Park", "Ivanov", "Yılmaz", "Demir", "Brown", "Wilson",
        "Taylor", "Martin", "Dubois", "Rossi", "Bianchi", "Schmidt", "Nair", "Menon", "Pillai", "Iyer",
        "Qureshi", "Chaudhry", "Mendoza", "Abubakar", "Okafor", "Mensah", "Johnson", "Anderson" };
    private static final String[] TRANSLIT = { "ahmed", "mohammed", "fatima", "aisha", "omar", "yousef",
        "khalid", "noura", "sara", "ali", "hamad", "salem", "reem", "huda", "faisal", "sultan" };
    private static final String[] EMAIL_DOMAINS = { "example.com", "example.net", "example.org", "mail.example",
        "company.example" };
    private static final String[] CITIES = { "Riyadh", "Jeddah", "Dammam", "Dubai", "Abu Dhabi", "Sharjah",
        "Kuwait City", "Doha", "Manama", "Muscat", "الرياض", "جدة", "دبي", "الدوحة", "مسقط", "المنامة" };
    private static final String[] NOTES = { "VIP customer", "Prefers Arabic", "Call after 5pm", "عميل مميز",
        "يفضل التواصل عبر واتساب", "Wholesale buyer", "Follow up next month", "Referred by a friend" };
    private static final String[] INTERNATIONAL = { "EG", "JO", "GB", "US", "IN", "PK", "FR", "DE", "TR", "PH",
        "LB", "MA", "SD", "YE", "BD", "ID" };

    private final SplittableRandom random = new SplittableRandom(20240115);
    private final PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
    private final List<Set<Long>> usedPhones = new ArrayList<>();

    /** The id of the main workspace's n-th contact (0-based): every 11th id belongs to another workspace. */
    static long mainId(long n) {
        return 1 + n + n / 10;
    }

    public static void main(String[] args) throws Exception {
        String url = arg(args, "--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/contacts_bench?user=postgres");
        int mainContacts = Integer.parseInt(arg(args, "--contacts", "1000000"));
        new DataGenerator().load(url, mainContacts);
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private void load(String url, int mainContacts) throws SQLException {
        long started = System.nanoTime();
        try (Connection db = DriverManager.getConnection(url)) {
            try (Statement st = db.createStatement()) {
                st.execute("SET maintenance_work_mem = '512MB'");
                st.execute("TRUNCATE contact_attribute_values, contacts, branches, contact_groups RESTART IDENTITY");
            }
            List<String> workspaces = new ArrayList<>();
            workspaces.add(MAIN_WORKSPACE);
            for (int i = 1; i <= OTHER_WORKSPACES; i++) {
                workspaces.add(MAIN_WORKSPACE + "-" + i);
            }
            List<long[]> groups = new ArrayList<>();
            List<long[]> branches = new ArrayList<>();
            for (int w = 0; w < workspaces.size(); w++) {
                usedPhones.add(new HashSet<>());
                groups.add(insertGroups(db, workspaces.get(w), w == 0 ? MAIN_GROUPS : 5));
                branches.add(insertBranches(db, workspaces.get(w), w == 0 ? MAIN_BRANCHES : 3));
            }
            List<String> indexes = dropSecondaryIndexes(db);
            long total = mainId(mainContacts - 1);
            copyContacts(db, total, workspaces, groups, branches);
            log("copied %,d contacts in %.1f s", total, seconds(started));
            try (Statement st = db.createStatement()) {
                for (String index : indexes) {
                    st.execute(index);
                }
                log("rebuilt %d indexes at %.1f s", indexes.size(), seconds(started));
                st.execute("SELECT setval(pg_get_serial_sequence('contacts', 'id'), (SELECT max(id) FROM contacts))");
                // Fresh statistics and visibility map, as an autovacuumed production table would have.
                st.execute("VACUUM (ANALYZE) contacts");
                st.execute("VACUUM (ANALYZE) contact_groups");
                st.execute("VACUUM (ANALYZE) branches");
            }
        }
        log("loaded %,d contacts (%,d in workspace %s) in %.1f s", mainId(mainContacts - 1), mainContacts,
                MAIN_WORKSPACE, seconds(started));
    }

    private long[] insertGroups(Connection db, String workspace, int count) throws SQLException {
        long[] ids = new long[count];
        String[] kinds = { "Customers", "عملاء", "Suppliers", "موردون", "VIP", "Leads", "عملاء مميزون", "Staff" };
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO contact_groups (workspace, name, status, created_at, updated_at) VALUES (?, ?, ?, now(), now()) RETURNING id")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, workspace);
                insert.setString(2, kinds[i % kinds.length] + " " + (i + 1));
                insert.setInt(3, i % 10 == 9 ? 0 : 1);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    private long[] insertBranches(Connection db, String workspace, int count) throws SQLException {
        long[] ids = new long[count];
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO branches (workspace, name, phone, address, phone_number_id, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, now(), now()) RETURNING id")) {
            for (int i = 0; i < count; i++) {
                insert.setString(1, workspace);
                insert.setString(2, "Branch " + CITIES[i % CITIES.length] + " " + (i + 1));
                insert.setString(3, phone(0));
                insert.setString(4, CITIES[i % CITIES.length]);
                insert.setString(5, SENDER_IDS[0]);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    /** Drops the contacts table's secondary indexes (not its constraints) and returns their definitions. */
    private static List<String> dropSecondaryIndexes(Connection db) throws SQLException {
        List<String> definitions = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement st = db.createStatement();
                ResultSet rs = st.executeQuery("SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                        + "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = 'contacts'::regclass "
                        + "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)")) {
            while (rs.next()) {
                names.add(rs.getString(1));
                definitions.add(rs.getString(2));
            }
        }
        try (Statement st = db.createStatement()) {
            for (String name : names) {
                st.execute("DROP INDEX " + name);
            }
        }
        return definitions;
    }

    private void copyContacts(Connection db, long total, List<String> workspaces, List<long[]> groups,
            List<long[]> branches) throws SQLException {
        Instant start = Instant.now().minus(3 * 365, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        long span = ChronoUnit.SECONDS.between(start, Instant.now().minus(1, ChronoUnit.HOURS));
        CopyIn copy = db.unwrap(PGConnection.class).getCopyAPI().copyIn(
                "COPY contacts (id, workspace, name, full_name, phone, email, branch_id, contact_group_id, "
                        + "description, address, is_favorite, phone_number_id, created_at, updated_at) FROM STDIN");
        StringBuilder rows = new StringBuilder(1 << 20);
        for (long id = 1; id <= total; id++) {
            // Every 11th id goes to one of the other workspaces, in turn.
            int w = id % 11 == 0 ? 1 + (int) ((id / 11) % OTHER_WORKSPACES) : 0;
            long created = start.getEpochSecond() + span * (id - 1) / total + random.nextInt(60);
            long updated = random.nextInt(4) == 0 ? created + random.nextLong(Math.max(1, start.getEpochSecond()
                    + span - created)) : created;
            appendRow(rows, id, workspaces.get(w), w, groups.get(w), branches.get(w), created, updated);
            if (rows.length() > (1 << 20) - 4096) {
                byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                copy.writeToCopy(bytes, 0, bytes.length);
                rows.setLength(0);
            }
        }
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        copy.endCopy();
    }

    private void appendRow(StringBuilder row, long id, String workspace, int w, long[] groups, long[] branches,
            long created, long updated) {
        boolean rareLatin = id % RARE_EVERY == 7;
        boolean rareArabic = id % RARE_EVERY == 13;
        boolean arabic = rareArabic || !rareLatin && random.nextInt(10) < 6;
        String first;
        String family;
        if (arabic) {
            first = pick(ARABIC_FIRST);
            family = rareArabic ? RARE_ARABIC[(int) (id / RARE_EVERY) % RARE_ARABIC.length] : pick(ARABIC_FAMILY);
        } else {
            first = pick(LATIN_FIRST);
            family = rareLatin ? RARE_LATIN : pick(LATIN_LAST);
        }
        String name = first + " " + family;
        String fullName = random.nextInt(2) == 0 ? null
                : arabic ? first + " " + pick(ARABIC_FATHER) + " " + family : first + " " + pick(LATIN_FIRST) + " " + family;
        String email = random.nextInt(10) < 3 ? (arabic ? pick(TRANSLIT) : ascii(first)) + "." + random.nextInt(10_000)
                + "@" + pick(EMAIL_DOMAINS) : null;
        Long branch = random.nextInt(10) < 4 ? branches[random.nextInt(branches.length)] : null;
        Long group = random.nextInt(10) < 7 ? groups[random.nextInt(groups.length)] : null;
        String description = random.nextInt(5) == 0 ? pick(NOTES) : null;
        String address = random.nextInt(10) < 3 ? random.nextInt(200) + " " + pick(CITIES) : null;
        boolean favorite = random.nextInt(10) == 0;
        row.append(id).append('\t').append(workspace).append('\t');
        field(row, name);
        field(row, fullName);
        field(row, phone(w));
        field(row, email);
        field(row, branch == null ? null : branch.toString());
        field(row, group == null ? null : group.toString());
        field(row, description);
        field(row, address);
        row.append(favorite ? 't' : 'f').append('\t');
        row.append(SENDER_IDS[random.nextInt(SENDER_IDS.length)]).append('\t');
        row.append(Instant.ofEpochSecond(created)).append('\t').append(Instant.ofEpochSecond(updated)).append('\n');
    }

    /** COPY text format: tab separated, \N for null; the generated values never contain tabs or backslashes. */
    private static void field(StringBuilder row, String value) {
        row.append(value == null ? "\\N" : value).append('\t');
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String ascii(String name) {
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("[^A-Za-z]", "")
                .toLowerCase();
    }

    /**
     * A valid mobile number, unique in its workspace: mostly Gulf numbers on their real mobile prefixes,
     * some international ones derived from libphonenumber's example numbers. Every one is checked
     * with libphonenumber, as the service does. SA 57x numbers are left free for the load generator's
     * creates.
     */
    private String phone(int workspace) {
        while (true) {
            String candidate = candidatePhone();
            long digits = Long.parseLong(candidate);
            if (!usedPhones.get(workspace).contains(digits) && valid(candidate)) {
                usedPhones.get(workspace).add(digits);
                return candidate;
            }
        }
    }

    private String candidatePhone() {
        int country = random.nextInt(100);
        if (country < 45) {
            return "9665" + "0345689".charAt(random.nextInt(7)) + digits(7);
        } else if (country < 65) {
            return "9715" + "024568".charAt(random.nextInt(6)) + digits(7);
        } else if (country < 73) {
            return "965" + "569".charAt(random.nextInt(3)) + digits(7);
        } else if (country < 79) {
            return "974" + "3567".charAt(random.nextInt(4)) + digits(7);
        } else if (country < 83) {
            return "9733" + "34569".charAt(random.nextInt(5)) + digits(6);
        } else if (country < 88) {
            return "9689" + digits(7);
        }
        String region = pick(INTERNATIONAL);
        String example = String.valueOf(phones.getExampleNumberForType(region, PhoneNumberUtil.PhoneNumberType.MOBILE)
                .getNationalNumber());
        return phones.getCountryCodeForRegion(region) + example.substring(0, example.length() - 6) + digits(6);
    }

    private boolean valid(String digits) {
        try {
            return phones.isValidNumber(phones.parse("+" + digits, "ZZ"));
        } catch (Exception e) {
            return false;
        }
    }

    private String digits(int count) {
        StringBuilder out = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            out.append((char) ('0' + random.nextInt(10)));
        }
        return out.toString();
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
    }
}
