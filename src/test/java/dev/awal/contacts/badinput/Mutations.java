package dev.awal.contacts.badinput;

import static dev.awal.contacts.badinput.ValidRequests.JSON;
import static dev.awal.contacts.badinput.ValidRequests.MULTIPART;
import static dev.awal.contacts.badinput.ValidRequests.URLENCODED;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.awal.contacts.badinput.ApiDocument.Body;
import dev.awal.contacts.badinput.ApiDocument.Field;
import dev.awal.contacts.badinput.ApiDocument.Operation;
import dev.awal.contacts.badinput.ApiDocument.Param;
import dev.awal.contacts.badinput.Case.Auth;
import dev.awal.contacts.badinput.Case.Draft;
import dev.awal.contacts.badinput.Specials.Special;
import dev.awal.contacts.support.TestData;

/**
 * Generates the hostile variants of each operation's valid request. Every generator breaks one
 * aspect (auth, path id, query, headers, method, content type, JSON, form, multipart, raw body, text
 * values) and names what it did; which value it uses is drawn from the seeded {@link Random}.
 * For each operation the generators are taken in turn (in a seeded order), so a run of N requests
 * per operation covers min(N, generators) distinct kinds.
 */
final class Mutations {

    private record Gen(String kind, Function<Random, Case> make) {
    }

    /** Numbers at and beyond the int32/int64 edges, and number syntax JSON does not allow, as raw text. */
    static final List<String> NUMBER_EDGES = List.of("0", "-1", "2147483647", "2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "18446744073709551616", "99999999999999999999999999999999999999999", "1e400", "-1e400", "1E2", "1.5",
            "-0", "0.0000001", "00012", "+5", "0x10", "NaN", "Infinity", "-Infinity", "1_000");
    /** An id no row has; path ids that a lenient parser might read as a number are built on it, never on 1. */
    private static final String UNUSED = "9000000000000000001";
    private static final List<String> PATH_IDS = List.of("0", "-1", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "18446744073709551616", "99999999999999999999999999", "abc", "1.5", "1e3", "0x1F",
            "+" + UNUSED, "%20" + UNUSED, "%00", UNUSED + "%00", "%zz", "%", "%C3%28", "%ED%A0%80", "%D9%A3",
            UNUSED + "%2F2", "..", "%2E%2E", UNUSED + ";x=y", "null", "undefined", "true", "[1]", UNUSED + ",2",
            "000" + UNUSED, Encoding.latin1("٩٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠٠١"), "1".repeat(5000));
    /** Cursors that are not base64url of anything issued. */
    private static final List<String> GARBAGE_CURSORS = List.of("x", "!!!", "====", "%00", "%zz", "AAAA", "-_-_",
            "A".repeat(3000), "eyJzIjoiLWNyZWF0ZWRfYXQiLCJ2IjoiMjAyNC0wMS0xNVQxMDozMDowMFoiLCJpIjo0Mn0");
    /** Well-encoded cursors (sort, value, id) with forged positions; sent with the sort they name. */
    private static final List<String> FORGED_POSITIONS = List.of("1\n1", Long.MAX_VALUE + "\n" + Long.MAX_VALUE,
            Long.MIN_VALUE + "\n1", "99999999999999\n-1", "-62135596801\n1", "-99999999999\n1", "abc\n1", "1\nabc",
            "1\n9223372036854775808", "1\n1\nextra", "\n", "\u0000\n1", "a\u0000b\n1", "1e3\n1", " 1\n1", "+1\n1",
            "a".repeat(1500) + "\n1", "%\n1", "\uD800\n1", "1\n-9223372036854775808", "253402300800\n1");
    private static final List<String> SORTS = List.of("created_at", "-created_at", "name", "-name", "updated_at",
            "-updated_at");
    private static final List<String> IF_MATCH = List.of("garbage", "\"", "\"\"", "W/\"1\"", "*", "\"1\", \"2\"",
            "\"" + "9".repeat(200) + "\"", "\"abc", "W/", ",,,,", "\"\u00e9\"", "\"" + "x".repeat(10_000) + "\"",
            "\"a\u0001b\"", "-1", "\"-1\"");
    private static final Set<String> STANDARD_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** Placeholders in a literal path id, replaced by a real id when the request is sent. */
    static final String FIXTURE = "{fixture}";
    static final String VICTIM = "{victim}";

    private final Map<String, Set<String>> methodsByPath;

    Mutations(ApiDocument document) {
        this.methodsByPath = document.operations.stream().collect(Collectors.groupingBy(Operation::path,
                Collectors.mapping(Operation::method, Collectors.toSet())));
    }

    /**
     * The generated cases, round-robin over operations and, per operation, over its generators; with
     * {@code -Dbadinput.only=<kind prefix>} (e.g. {@code json.item-text}) only the generators of those kinds.
     */
    List<Case> generate(List<Operation> operations, int count, Random random) {
        String only = System.getProperty("badinput.only");
        List<List<Gen>> gens = new ArrayList<>();
        for (Operation op : operations) {
            List<Gen> list = generators(op);
            if (only != null) {
                list.removeIf(gen -> !gen.kind().startsWith(only));
            }
            Collections.shuffle(list, random);
            if (!list.isEmpty()) {
                gens.add(list);
            }
        }
        if (gens.isEmpty()) {
            throw new IllegalArgumentException("no generator of kind " + only);
        }
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int opIndex = i % gens.size();
            List<Gen> list = gens.get(opIndex);
            Gen gen = list.get((i / gens.size()) % list.size());
            cases.add(gen.make().apply(random));
        }
        return cases;
    }

    private List<Gen> generators(Operation op) {
        List<Gen> gens = new ArrayList<>();
        gens.add(new Gen("valid", r -> ValidRequests.draft(op).build("valid", "the operation's valid request")));
        auth(op, gens);
        if (op.hasPathId()) {
            pathIds(op, gens);
        }
        query(op, gens);
        headers(op, gens);
        methods(op, gens);
        contentTypes(op, gens);
        Body json = op.body(JSON);
        if (json != null && !json.raw()) {
            json(op, json, gens);
        }
        Body form = op.body(URLENCODED);
        if (form != null && !form.raw()) {
            urlencoded(op, form, gens);
        }
        Body multipart = op.body(MULTIPART);
        if (multipart != null) {
            multipart(op, multipart, gens);
        }
        op.bodies().stream().filter(Body::raw).filter(b -> !b.mediaType().equals(MULTIPART))
                .forEach(raw -> rawBodies(op, raw, gens));
        if (op.bodies().stream().anyMatch(b -> !b.raw())) {
            for (Special special : Specials.ALL) {
                gens.add(new Gen("text." + special.name(), r -> textValue(op, special, r)));
            }
        }
        return gens;
    }

    // ------------------------------------------------------------------ auth

    private void auth(Operation op, List<Gen> gens) {
        for (Auth mode : Auth.values()) {
            if (mode == Auth.SIGNED || (mode == Auth.SIGNED_OTHER_BODY && op.bodies().isEmpty())) {
                continue;
            }
            gens.add(new Gen("auth." + mode.name(), r -> {
                String value = switch (mode) {
                    case GARBAGE_TIMESTAMP -> pick(r, List.of("abc", "-1", "1e9", "9223372036854775808", " ", Encoding.latin1("١٧٠٠"),
                            "0x10", "1700000000.5", "9".repeat(5000), "\u00e9"));
                    case GARBAGE_SIGNATURE -> pick(r, List.of("sha256=", "md5=abc", "sha256=" + "z".repeat(64),
                            "sha256=" + "a".repeat(63), "sha256=" + "a".repeat(65), "a".repeat(10_000),
                            "sha256=\u00e9" + "a".repeat(63), "sha1=" + "a".repeat(40)));
                    case GARBAGE_DOMAIN -> pick(r, List.of("alpha\u0001", "ALPHA", "alpha,beta", "a".repeat(5000),
                            "../alpha", "\u00e9", "*"));
                    case GARBAGE_CLIENT -> pick(r, List.of("x".repeat(5000), "test-client\u0001", "\u00e9",
                            "test-client,other-client", "*"));
                    default -> null;
                };
                return ValidRequests.draft(op).auth(mode, value).build("auth." + mode.name(),
                        value == null ? mode.name() : "value " + Escapes.text(value, 80));
            }));
        }
    }

    // ------------------------------------------------------------------ path ids

    private void pathIds(Operation op, List<Gen> gens) {
        // An upsert by phone with another workspace's phone rightly creates the contact in the caller's own
        // workspace, which would then make that phone a fixture of both: not a case of reaching across.
        if (!(op.method().equals("PUT") && op.path().contains("{phone}"))) {
            gens.add(new Gen("path.other-workspace-id", r -> {
                Draft draft = ValidRequests.draft(op);
                draft.idMode = Case.IdMode.OTHER_WORKSPACE;
                draft.refused = true;
                return draft.build("path.other-workspace-id", "the id of a fixture in workspace beta");
            }));
        }
        gens.add(new Gen("path.nonexistent-id", r -> ValidRequests.draft(op)
                .literalId(String.valueOf(9_000_000_000_000_000_000L + r.nextInt(1_000_000)))
                .build("path.nonexistent-id", "a large unused id")));
        gens.add(new Gen("path.bad-id", r -> {
            String id = pick(r, PATH_IDS);
            return ValidRequests.draft(op).literalId(id).build("path.bad-id", "id " + Escapes.text(id, 80));
        }));
        gens.add(new Gen("path.bad-id", r -> {
            String id = pick(r, PATH_IDS);
            return ValidRequests.draft(op).literalId(id).build("path.bad-id", "id " + Escapes.text(id, 80));
        }));
        gens.add(new Gen("path.empty-id", r -> ValidRequests.draft(op).literalId("")
                .build("path.empty-id", "empty path segment")));
        gens.add(new Gen("path.trailing", r -> {
            String suffix = pick(r, List.of("/", "//", "/x", "/%00", "/..", ";jsessionid=1", "/../" + UNUSED));
            Draft draft = ValidRequests.draft(op);
            draft.refused = false;
            draft.idMode = Case.IdMode.LITERAL;
            draft.literalId = (op.removesResource() ? VICTIM : FIXTURE) + suffix;
            return draft.build("path.trailing", "suffix " + suffix);
        }));
    }

    // ------------------------------------------------------------------ query

    private void query(Operation op, List<Gen> gens) {
        List<Param> params = op.params("query");
        List<String> names = new ArrayList<>(params.stream().map(Param::name).toList());
        if (names.isEmpty()) {
            names.add("per_page");
        }
        gens.add(new Gen("query.repeated", r -> {
            String name = pick(r, names);
            Draft draft = ValidRequests.draft(op);
            String pair = name + "=" + Encoding.percent(validQueryValue(params, name)) + "&" + name + "="
                    + pick(r, List.of("2", "", "x", "%00", "1"));
            draft.addQuery(pair);
            return draft.build("query.repeated", pair);
        }));
        gens.add(new Gen("query.per-page", r -> {
            String value = pick(r, List.of("1000000", "0", "-1", "101", "abc", "", "1.5", "2147483648",
                    "9223372036854775808", "1e3", " 5", "%00", "%zz", "١٠", "0x10", "+20"));
            return ValidRequests.draft(op).addQuery("per_page=" + value).build("query.per-page", "per_page=" + value);
        }));
        gens.add(new Gen("query.page", r -> {
            String value = pick(r, List.of("0", "-1", "1000001", "2147483647", "2147483648", "abc", "", "1e9",
                    "99999999999999999999"));
            return ValidRequests.draft(op).addQuery("page=" + value + "&per_page=100")
                    .build("query.page", "page=" + value);
        }));
        // Where a cursor is read, forged ones get more turns: each one reaches different parsing.
        int cursorTurns = names.contains("cursor") ? 6 : 1;
        for (int turn = 0; turn < cursorTurns; turn++) {
            gens.add(new Gen("query.cursor", r -> {
                String pair;
                int variant = r.nextInt(4);
                if (variant == 0) {
                    pair = "cursor=" + pick(r, GARBAGE_CURSORS);
                } else if (variant == 1) {
                    byte[] invalidUtf8 = { '-', 'n', 'a', 'm', 'e', '\n', (byte) 0xC3, 0x28, '\n', '1' };
                    pair = "cursor=" + b64Bytes(invalidUtf8) + "&sort=-name";
                } else {
                    // Mostly the sort named inside, so the forged value reaches the query; sometimes another.
                    String inside = pick(r, SORTS);
                    String sent = r.nextInt(4) == 0 ? pick(r, SORTS) : inside;
                    pair = "cursor=" + b64(inside + "\n" + pick(r, FORGED_POSITIONS)) + "&sort=" + sent
                            + (r.nextInt(5) == 0 ? "&page=2" : "");
                }
                return ValidRequests.draft(op).addQuery(pair).build("query.cursor", Escapes.text(pair, 120));
            }));
        }
        for (Param param : params) {
            gens.add(new Gen("query.bad-value", r -> {
                String value = badQueryValue(param, r);
                String pair = param.name() + "=" + value;
                return ValidRequests.draft(op).addQuery(pair).build("query.bad-value", Escapes.text(pair, 120));
            }));
        }
        gens.add(new Gen("query.text", r -> {
            Special special = pick(r, Specials.ALL);
            String name = params.stream().anyMatch(p -> p.name().equals("search")) ? "search" : pick(r, names);
            String pair = name + "=" + special.percent();
            Draft draft = ValidRequests.draft(op).addQuery(pair);
            // Only a parameter the operation reads must refuse it; others are ignored.
            draft.refused = special.unstorable() && params.stream().anyMatch(p -> p.name().equals(name));
            return draft.build("query.text", special.name() + " in " + name);
        }));
        gens.add(new Gen("query.syntax", r -> {
            String raw = pick(r, List.of("=value", "&&&", "a", "%zz=1", "search=%", "search=%4", "search=%G0",
                    "search=a%", "%00=1", "search=%25%00", "a[]=1&a[b]=2", "?=?", "search=a+b%2Bc", "search=%u0041",
                    "search=\u00e9", "search=%C0%AF", "search=%ED%A0%80", "search=%F4%90%80%80", ";a=1",
                    "&per_page=5&"));
            return ValidRequests.draft(op).addQuery(raw).build("query.syntax", Escapes.text(raw, 80));
        }));
        gens.add(new Gen("query.unknown", r -> {
            String pair = pick(r, List.of("workspace=beta", "X-Domain=beta", "id=1", "__proto__=1", "limit=1000000",
                    "sort[]=name", "fields=*", "debug=true"));
            return ValidRequests.draft(op).addQuery(pair).build("query.unknown", pair);
        }));
        gens.add(new Gen("query.long", r -> {
            int length = pick(r, List.of(3000, 5000, 10_000, 70_000));
            String pair = "search=" + "a".repeat(length);
            return ValidRequests.draft(op).addQuery(pair).build("query.long", "search of " + length + " chars");
        }));
    }

    private static String validQueryValue(List<Param> params, String name) {
        return params.stream().filter(p -> p.name().equals(name)).findFirst()
                .map(p -> ValidRequests.value(p.schema()).asText()).orElse("5");
    }

    private static String badQueryValue(Param param, Random r) {
        Field schema = param.schema();
        if (schema.numeric()) {
            return pick(r, NUMBER_EDGES).replace("+", "%2B");
        }
        if (schema.is("boolean") || !schema.enumeration().isEmpty()) {
            return pick(r, List.of("maybe", "", "TRUE", "1", "yes", "%00", "-name-", "name,updated_at", "--name",
                    "2", "null"));
        }
        return pick(r, List.of(Encoding.percent("x".repeat(5000)), "", "%00", "%C3%28",
                pick(r, Specials.ALL).percent(), pick(r, NUMBER_EDGES).replace("+", "%2B")));
    }

    // ------------------------------------------------------------------ headers

    private void headers(Operation op, List<Gen> gens) {
        boolean conditional = op.params("header").stream().anyMatch(p -> p.name().equalsIgnoreCase("If-Match"))
                || !op.method().equals("GET");
        if (conditional) {
            gens.add(new Gen("header.if-match", r -> {
                String value = pick(r, IF_MATCH);
                return ValidRequests.draft(op).header("If-Match", value)
                        .build("header.if-match", "If-Match: " + Escapes.text(value, 80));
            }));
        }
        if (op.method().equals("GET") || op.params("header").stream().anyMatch(p -> p.name().equalsIgnoreCase("If-None-Match"))) {
            gens.add(new Gen("header.if-none-match", r -> {
                String value = pick(r, IF_MATCH);
                return ValidRequests.draft(op).header("If-None-Match", value)
                        .build("header.if-none-match", "If-None-Match: " + Escapes.text(value, 80));
            }));
        }
        gens.add(new Gen("header.huge", r -> {
            int size = pick(r, List.of(9_000, 20_000, 70_000));
            String name = pick(r, List.of("X-Filler", "Cookie", "Referer", "If-Match"));
            return ValidRequests.draft(op).header(name, "a".repeat(size))
                    .build("header.huge", name + " of " + size + " bytes");
        }));
        gens.add(new Gen("header.many", r -> {
            int count = pick(r, List.of(150, 500));
            Draft draft = ValidRequests.draft(op);
            for (int i = 0; i < count; i++) {
                draft.header("X-Many-" + i, "v" + i);
            }
            return draft.build("header.many", count + " extra headers");
        }));
        gens.add(new Gen("header.control-chars", r -> {
            String value = pick(r, List.of("a\u0001b", "a\u007fb", "a\u0000b", "\u00ff\u00fe", "a\u001bb", "a\tb"));
            String name = pick(r, List.of("X-Custom", "X-Request-ID", "Accept", "If-Match", "User-Agent"));
            return ValidRequests.draft(op).header(name, value)
                    .build("header.control-chars", name + ": " + Escapes.text(value, 40));
        }));
        gens.add(new Gen("header.bad-name", r -> {
            String name = pick(r, List.of("Bad Header", "X-\u00dcnicode", "X(paren)", "X-Colon:", "X\u0000Nul", "",
                    "X-Tab\t"));
            return ValidRequests.draft(op).header(name, "x").build("header.bad-name", Escapes.text(name, 40));
        }));
        gens.add(new Gen("header.request-id", r -> {
            String value = pick(r, List.of("x".repeat(10_000), "../../etc", "\u00e9\u00e8", "", " ", "a b c",
                    "<script>", "{\"a\":1}", "%00", "id\u0001"));
            return ValidRequests.draft(op).header("X-Request-ID", value)
                    .build("header.request-id", "X-Request-ID: " + Escapes.text(value, 40));
        }));
        gens.add(new Gen("header.api-version", r -> {
            String value = pick(r, List.of("v2", "", "v1, v2", "V1", "1", "v1\u0001", "x".repeat(3000)));
            return ValidRequests.draft(op).header("X-API-Version", value)
                    .build("header.api-version", "X-API-Version: " + Escapes.text(value, 40));
        }));
        gens.add(new Gen("header.accept", r -> {
            String value = pick(r, List.of("application/xml", "text/html", "garbage", "*/*;q=abc", "",
                    "application/json;charset=utf-16", "image/png"));
            return ValidRequests.draft(op).header("Accept", value).build("header.accept", "Accept: " + value);
        }));
        gens.add(new Gen("header.h2c-upgrade", r -> ValidRequests.draft(op)
                .header("Connection", "Upgrade, HTTP2-Settings").header("Upgrade", "h2c")
                .header("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA")
                .build("header.h2c-upgrade", "Upgrade: h2c")));
        gens.add(new Gen("header.upgrade-other", r -> ValidRequests.draft(op)
                .header("Connection", "Upgrade").header("Upgrade", pick(r, List.of("websocket", "garbage", "h2")))
                .build("header.upgrade-other", "Upgrade other than h2c")));
        gens.add(new Gen("header.expect", r -> {
            String value = pick(r, List.of("100-continue", "garbage", "200-ok"));
            return ValidRequests.draft(op).header("Expect", value).build("header.expect", "Expect: " + value);
        }));
        gens.add(new Gen("header.chunked-body", r -> {
            Draft draft = ValidRequests.draft(op);
            draft.chunked = true;
            return draft.build("header.chunked-body", "the valid body, chunked");
        }));
        gens.add(new Gen("header.encodings", r -> {
            String[] header = pick(r, List.of(new String[] { "Accept-Encoding", "gzip, br, zstd" },
                    new String[] { "Accept-Encoding", "garbage;q=x" }, new String[] { "Content-Encoding", "gzip" },
                    new String[] { "Content-Encoding", "garbage" }, new String[] { "Range", "bytes=0-1" },
                    new String[] { "Accept-Charset", "utf-16" }, new String[] { "Content-Language", "\u00e9" }));
            return ValidRequests.draft(op).header(header[0], header[1])
                    .build("header.encodings", header[0] + ": " + header[1]);
        }));
        gens.add(new Gen("header.folded", r -> ValidRequests.draft(op).header("X-Folded", "a\r\n b")
                .build("header.folded", "obsolete line folding")));
        gens.add(new Gen("header.duplicate-host", r -> ValidRequests.draft(op).header("Host", "evil.example")
                .build("header.duplicate-host", "a second Host header")));
    }

    // ------------------------------------------------------------------ methods

    private void methods(Operation op, List<Gen> gens) {
        Set<String> documented = methodsByPath.getOrDefault(op.path(), Set.of());
        for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD", "FOO",
                "get")) {
            if (documented.contains(method) || (method.equals("HEAD") && documented.contains("GET"))) {
                continue;
            }
            gens.add(new Gen("method.undocumented", r -> {
                Draft draft = ValidRequests.draft(op);
                draft.method = method;
                draft.refused = STANDARD_METHODS.contains(method);
                if (draft.idMode == Case.IdMode.VICTIM) {
                    draft.idMode = Case.IdMode.FIXTURE;
                }
                return draft.build("method.undocumented", method + " " + op.path());
            }));
        }
    }

    // ------------------------------------------------------------------ content types

    private void contentTypes(Operation op, List<Gen> gens) {
        gens.add(new Gen("content-type.wrong", r -> {
            Draft draft = ValidRequests.draft(op);
            byte[] body = draft.body.length > 0 ? draft.body : "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
            String type = pick(r, List.of("text/plain", "application/xml", "garbage", ";;;", "/", "application/",
                    "*/*", MULTIPART, MULTIPART + "; boundary=abc", URLENCODED, "image/png", "image/",
                    "application/json; charset=nonsense", "application/json;;charset=utf-8", "APPLICATION/JSON",
                    "application/json; boundary=x", "text/csv", "application/octet-stream",
                    "application/json; charset=" + "x".repeat(3000)));
            return draft.body(type, body).build("content-type.wrong", "Content-Type: " + Escapes.text(type, 60)
                    + " on " + Escapes.bytes(body, 40));
        }));
        gens.add(new Gen("content-type.missing", r -> {
            Draft draft = ValidRequests.draft(op);
            byte[] body = draft.body.length > 0 ? draft.body : "{}".getBytes(StandardCharsets.UTF_8);
            return draft.body(null, body).build("content-type.missing", "a body without Content-Type");
        }));
        gens.add(new Gen("content-type.charset", r -> {
            String charset = pick(r, List.of("utf-16", "iso-8859-1", "utf-32", "ebcdic-cp-us"));
            String text = "{\"name\":\"Jürgen " + r.nextInt(1_000_000) + "\",\"phone\":\"+" + TestData.uniquePhone() + "\"}";
            byte[] body = text.getBytes(java.nio.charset.Charset.isSupported(charset)
                    ? java.nio.charset.Charset.forName(charset) : StandardCharsets.UTF_8);
            return ValidRequests.draft(op).body(JSON + "; charset=" + charset, body)
                    .build("content-type.charset", "JSON in " + charset);
        }));
        gens.add(new Gen("content-type.duplicate", r -> {
            Draft draft = ValidRequests.draft(op);
            byte[] body = draft.body.length > 0 ? draft.body : "{}".getBytes(StandardCharsets.UTF_8);
            draft.body(JSON, body).header("Content-Type", URLENCODED);
            return draft.build("content-type.duplicate", "two Content-Type headers");
        }));
    }

    // ------------------------------------------------------------------ JSON

    private void json(Operation op, Body body, List<Gen> gens) {
        List<Field> fields = body.fields().stream().filter(f -> !f.binary()).toList();
        gens.add(new Gen("json.wrong-type", r -> {
            Field field = pick(r, fields);
            String value = wrongType(field, r);
            return jsonWith(op, body, field.name(), Encoding.ascii(value)).build("json.wrong-type",
                    field.name() + ": " + value);
        }));
        gens.add(new Gen("json.number-edges", r -> {
            Field field = pick(r, fields);
            String value = pick(r, NUMBER_EDGES);
            return jsonWith(op, body, field.name(), Encoding.ascii(value)).build("json.number-edges",
                    field.name() + ": " + value);
        }));
        gens.add(new Gen("json.number-edges-int-field", r -> {
            List<Field> numeric = fields.stream().filter(Field::numeric).toList();
            Field field = pick(r, numeric.isEmpty() ? fields : numeric);
            String value = pick(r, NUMBER_EDGES);
            return jsonWith(op, body, field.name(), Encoding.ascii(value)).build("json.number-edges",
                    field.name() + ": " + value);
        }));
        gens.add(new Gen("json.empty-values", r -> {
            Field field = pick(r, fields);
            String value = pick(r, List.of("\"\"", "\" \"", "[]", "{}", "null", "\"null\"", "0", "false"));
            return jsonWith(op, body, field.name(), Encoding.ascii(value)).build("json.empty-values",
                    field.name() + ": " + value);
        }));
        gens.add(new Gen("json.long-string", r -> {
            Field field = pick(r, fields);
            int length = field.maxLength() != null && r.nextBoolean() ? field.maxLength() + 1
                    : pick(r, List.of(256, 2001, 10_000, 100_000));
            String value = Encoding.jsonString(pick(r, List.of("x", "ب", "😀")).repeat(length));
            return jsonWith(op, body, field.name(), value.getBytes(StandardCharsets.UTF_8))
                    .build("json.long-string", field.name() + " of " + length + " chars");
        }));
        gens.add(new Gen("json.huge-body", r -> {
            Field field = pick(r, fields);
            int length = pick(r, List.of(300_000, 1_000_000, 13_000_000));
            return jsonWith(op, body, field.name(), Encoding.jsonString("x".repeat(length))
                    .getBytes(StandardCharsets.UTF_8)).build("json.huge-body", field.name() + " of " + length + " chars");
        }));
        gens.add(new Gen("json.deep-nesting", r -> {
            int depth = pick(r, List.of(1_001, 5_000, 50_000));
            boolean arrays = r.nextBoolean();
            String nested = arrays ? "[".repeat(depth) + "1" + "]".repeat(depth)
                    : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            boolean topLevel = r.nextBoolean();
            Field field = pick(r, fields);
            Draft draft = topLevel ? ValidRequests.draft(op).body(JSON, Encoding.ascii(nested))
                    : jsonWith(op, body, field.name(), Encoding.ascii(nested));
            return draft.build("json.deep-nesting", (arrays ? "arrays " : "objects ") + depth + " deep"
                    + (topLevel ? " as the body" : " in " + field.name()));
        }));
        gens.add(new Gen("json.unknown-fields", r -> {
            Map<String, JsonNode> values = new LinkedHashMap<>(ValidRequests.fields(body));
            String name = pick(r, List.of("id", "workspace", "created_at", "__proto__", "constructor", "status",
                    "search_text", "x".repeat(5000), "", "\u0000", "\uD800", "a.b", "avatar_key"));
            values.put(name, JsonNodeFactory.instance.textNode("injected"));
            return ValidRequests.draft(op).body(JSON, inShape(body, ValidRequests.json(values))).build("json.unknown-fields",
                    "extra field " + Escapes.text(name, 40));
        }));
        gens.add(new Gen("json.many-fields", r -> {
            StringBuilder text = new StringBuilder(new String(ValidRequests.json(ValidRequests.fields(body)),
                    StandardCharsets.UTF_8));
            text.setLength(text.length() - 1);
            int count = pick(r, List.of(5_000, 20_000));
            for (int i = 0; i < count; i++) {
                text.append(",\"f").append(i).append("\":").append(i);
            }
            return ValidRequests.draft(op)
                    .body(JSON, inShape(body, text.append('}').toString().getBytes(StandardCharsets.UTF_8)))
                    .build("json.many-fields", count + " unknown fields");
        }));
        gens.add(new Gen("json.duplicate-fields", r -> {
            Field field = pick(r, fields);
            byte[] valid = ValidRequests.json(ValidRequests.fields(body));
            String duplicate = ",\"" + field.name() + "\":" + pick(r, List.of("\"second\"", "123", "null", "[]"));
            byte[] bytes = Encoding.concat(java.util.Arrays.copyOf(valid, valid.length - 1), Encoding.ascii(duplicate + "}"));
            return ValidRequests.draft(op).body(JSON, inShape(body, bytes)).build("json.duplicate-fields",
                    field.name() + " twice");
        }));
        gens.add(new Gen("json.not-an-object", r -> {
            String text = pick(r, List.of("[]", "[{}]", "\"text\"", "1", "null", "true", "", " ", "{", "{\"name\":",
                    "{\"name\":\"x\"", "{} x", "{}{}", "\uFEFF{}", "{/* c */}", "{'name':'x'}", "{name:\"x\"}",
                    "{\"name\":\"x\",}", "{\"name\":NaN}", "\u0000", "{\"name\":\"x\"}\u0000"));
            return ValidRequests.draft(op).body(JSON, Encoding.utf8(text)).build("json.not-an-object",
                    Escapes.text(text, 40));
        }));
        gens.add(new Gen("json.raw-nul-byte", r -> {
            Field field = pick(r, fields);
            return jsonWith(op, body, field.name(), new byte[] { '"', 'a', 0, 'b', '"' })
                    .build("json.raw-nul-byte", "an unescaped NUL byte in " + field.name());
        }));
        gens.add(new Gen("json.raw-control-chars", r -> {
            Field field = pick(r, fields);
            return jsonWith(op, body, field.name(), new byte[] { '"', 'a', '\n', '\t', 0x1b, 'b', '"' })
                    .build("json.raw-control-chars", "unescaped control characters in " + field.name());
        }));
        gens.add(new Gen("json.bad-escapes", r -> {
            Field field = pick(r, fields);
            String value = pick(r, List.of("\"\\x41\"", "\"\\u00\"", "\"\\uZZZZ\"", "\"\\\"", "\"\\", "\"\\ud800\\u0041\""));
            return jsonWith(op, body, field.name(), Encoding.ascii(value)).build("json.bad-escapes",
                    field.name() + ": " + value);
        }));
        // Hostile text inside the items of a list (a batch's contacts), where the top-level mutations do not reach.
        // Bytes that are not UTF-8 make the whole body unreadable as text: the request must be refused. An escaped
        // NUL or lone surrogate fails only its item (a 200 answer listing that item's 422), so only no 5xx is asked.
        ValidRequests.fields(body).entrySet().stream()
                .filter(e -> e.getValue().isArray() && e.getValue().size() > 0 && e.getValue().get(0).isObject())
                .findFirst().ifPresent(list -> gens.add(new Gen("json.item-text", r -> {
                    Map<String, JsonNode> values = new LinkedHashMap<>(ValidRequests.fields(body));
                    JsonNode items = values.get(list.getKey()).deepCopy();
                    ObjectNode item = (ObjectNode) items.get(0);
                    List<String> texts = new ArrayList<>();
                    item.fields().forEachRemaining(f -> {
                        if (f.getValue().isTextual()) {
                            texts.add(f.getKey());
                        }
                    });
                    String property = texts.isEmpty() ? "name" : pick(r, texts);
                    item.put(property, ITEM_PLACEHOLDER);
                    values.put(list.getKey(), items);
                    Special special = pick(r, Specials.ALL);
                    byte[] bytes = Encoding.replace(ValidRequests.json(values),
                            Encoding.utf8(Encoding.jsonString(ITEM_PLACEHOLDER)), special.json());
                    Draft draft = ValidRequests.draft(op).body(JSON, inShape(body, bytes));
                    draft.refused = special.raw() != null;
                    return draft.build("json.item-text", special.name() + " in " + list.getKey() + "[0]." + property);
                })));
    }

    /** Stands for the hostile value in a list item until the body's bytes are written. */
    private static final String ITEM_PLACEHOLDER = "item-text-placeholder-7f3a";

    private static Draft jsonWith(Operation op, Body body, String name, byte[] rawValue) {
        Map<String, JsonNode> values = new LinkedHashMap<>(ValidRequests.fields(body));
        values.remove(name);
        byte[] valid = ValidRequests.json(values);
        byte[] head = java.util.Arrays.copyOf(valid, valid.length - 1);
        byte[] bytes = Encoding.concat(head, Encoding.ascii(values.isEmpty() ? "" : ","),
                Encoding.utf8(Encoding.jsonString(name) + ":"), rawValue, Encoding.ascii("}"));
        return ValidRequests.draft(op).body(JSON, inShape(body, bytes));
    }

    /** One object as the body expects it: alone, or as the only element of a batch. */
    private static byte[] inShape(Body body, byte[] object) {
        return body.array() ? Encoding.concat(Encoding.ascii("["), object, Encoding.ascii("]")) : object;
    }

    private static String wrongType(Field field, Random r) {
        if (field.numeric()) {
            return pick(r, List.of("\"abc\"", "\"12\"", "true", "[]", "{}", "[1]", "{\"id\":1}", "\"\""));
        }
        if (field.is("boolean")) {
            return pick(r, List.of("\"true\"", "1", "\"yes\"", "[]", "{}", "\"\"", "2"));
        }
        return pick(r, List.of("123", "true", "false", "[]", "{}", "[\"a\"]", "{\"a\":1}", "1.5", "-1"));
    }

    // ------------------------------------------------------------------ urlencoded forms

    private void urlencoded(Operation op, Body body, List<Gen> gens) {
        List<Field> fields = body.fields().stream().filter(f -> !f.binary()).toList();
        gens.add(new Gen("form.syntax", r -> {
            String raw = pick(r, List.of("=value", "name", "&&&", "=", "%zz=1", "name=%", "name=%4", "name=a%zzb",
                    "name=%00", "name=a%00b", "%00=1", "name=%C3%28", "name=%ED%A0%80", "name=%C0%AF", "name=\u00e9",
                    "name=a;phone=1", "name=a+b", "&=&=&", "name==x"));
            String valid = ValidRequests.urlencoded(ValidRequests.fields(body));
            String text = r.nextBoolean() ? raw + "&" + valid : valid + "&" + raw;
            return ValidRequests.draft(op).body(URLENCODED, Encoding.ascii(text))
                    .build("form.syntax", Escapes.text(raw, 40));
        }));
        gens.add(new Gen("form.over-long-attribute", r -> {
            Field field = pick(r, fields);
            int length = pick(r, List.of(16_385, 20_000, 200_000));
            String text = ValidRequests.urlencoded(ValidRequests.fields(body)) + "&" + field.name() + "="
                    + "x".repeat(length);
            return ValidRequests.draft(op).body(URLENCODED, Encoding.ascii(text))
                    .build("form.over-long-attribute", field.name() + " of " + length + " bytes");
        }));
        gens.add(new Gen("form.many-fields", r -> {
            StringBuilder text = new StringBuilder(ValidRequests.urlencoded(ValidRequests.fields(body)));
            int count = pick(r, List.of(2_000, 20_000));
            for (int i = 0; i < count; i++) {
                text.append("&f").append(i).append('=').append(i);
            }
            return ValidRequests.draft(op).body(URLENCODED, Encoding.ascii(text.toString()))
                    .build("form.many-fields", count + " fields");
        }));
        gens.add(new Gen("form.repeated-field", r -> {
            Field field = pick(r, fields);
            String text = ValidRequests.urlencoded(ValidRequests.fields(body)) + "&" + field.name() + "="
                    + pick(r, List.of("second", "", "1", "%00"));
            return ValidRequests.draft(op).body(URLENCODED, Encoding.ascii(text))
                    .build("form.repeated-field", field.name() + " twice");
        }));
        gens.add(new Gen("form.wrong-type", r -> {
            Field field = pick(r, fields);
            String value = pick(r, List.of("maybe", "abc", "-1", "1.5", "9223372036854775808", "%20", "[]", "%00",
                    "true", "2"));
            return formWith(op, body, field.name(), value).build("form.wrong-type", field.name() + "=" + value);
        }));
        gens.add(new Gen("form.text", r -> {
            Field field = pick(r, fields);
            Special special = pick(r, Specials.ALL);
            Draft draft = formWith(op, body, field.name(), special.percent());
            draft.refused = special.unstorable();
            return draft.build("form.text", special.name() + " in " + field.name());
        }));
    }

    private static Draft formWith(Operation op, Body body, String name, String encodedValue) {
        Map<String, JsonNode> values = new LinkedHashMap<>(ValidRequests.fields(body));
        values.remove(name);
        String valid = ValidRequests.urlencoded(values);
        String text = (valid.isEmpty() ? "" : valid + "&") + Encoding.percent(name) + "=" + encodedValue;
        return ValidRequests.draft(op).body(URLENCODED, Encoding.ascii(text));
    }

    // ------------------------------------------------------------------ multipart

    private void multipart(Operation op, Body body, List<Gen> gens) {
        List<Field> fields = body.fields().stream().filter(f -> !f.binary()).toList();
        String fileField = body.fields().stream().filter(Field::binary).map(Field::name).findFirst().orElse("file");
        Function<Random, ValidRequests.Multipart> valid = r -> {
            ValidRequests.Multipart multipart = new ValidRequests.Multipart();
            ValidRequests.fields(body).forEach((name, value) -> multipart.field(name, Encoding.utf8(value.asText())));
            return multipart;
        };
        gens.add(new Gen("multipart.boundary", r -> {
            ValidRequests.Multipart multipart = valid.apply(r);
            byte[] bytes = multipart.bytes();
            String type = pick(r, List.of(MULTIPART + "; boundary=", MULTIPART, MULTIPART + "; boundary=\"\"",
                    MULTIPART + "; boundary=other", MULTIPART + "; boundary=\"" + multipart.boundary,
                    MULTIPART + "; boundary=" + "b".repeat(200), MULTIPART + "; boundary=" + multipart.boundary
                            + "; boundary=second",
                    MULTIPART + ";boundary=;", MULTIPART + "; charset=utf-8"));
            return ValidRequests.draft(op).body(type, bytes).build("multipart.boundary", Escapes.text(type, 80));
        }));
        gens.add(new Gen("multipart.part-headers", r -> {
            ValidRequests.Multipart multipart = valid.apply(r);
            String headers = pick(r, List.of("Content-Disposition: form-data", "Content-Disposition: form-data; name=",
                    "Content-Disposition: form-data; name=\"\"", "", "Content-Type: text/plain",
                    "Content-Disposition: attachment; name=\"name\"", "Content-Disposition: form-data; name=\"na\u00e9me\"",
                    "Content-Disposition: form-data; name*=UTF-8''%C3%A9", "Content-Disposition: form-data; name=\"a\u0000b\"",
                    "Content-Disposition: form-data; name=\"name\"; name=\"phone\"", "Content-Disposition",
                    "garbage header line", "Content-Disposition: form-data; name=\"" + "n".repeat(20_000) + "\"",
                    "Content-Disposition: form-data; name=\"name\"\r\nContent-Transfer-Encoding: base64",
                    "Content-Disposition: form-data; name=\"name\"\r\nContent-Type: text/plain; charset=utf-16"));
            multipart.part(headers, "value".getBytes(StandardCharsets.UTF_8));
            return ValidRequests.draft(op).body(multipart.contentType(), multipart.bytes())
                    .build("multipart.part-headers", Escapes.text(headers, 80));
        }));
        gens.add(new Gen("multipart.structure", r -> {
            ValidRequests.Multipart multipart = valid.apply(r);
            String variant = pick(r, List.of("no-closing-delimiter", "lf-only", "empty-body", "preamble-only",
                    "no-parts", "garbage-after-close", "truncated-mid-part", "cut-off-in-file"));
            byte[] bytes;
            switch (variant) {
                case "no-closing-delimiter" -> {
                    multipart.closed = false;
                    bytes = multipart.bytes();
                }
                case "lf-only" -> {
                    multipart.lineEnd = "\n";
                    bytes = multipart.bytes();
                }
                case "empty-body" -> bytes = new byte[0];
                case "cut-off-in-file" -> {
                    // No delimiter after the file part: the decoder never ends it (the request used to wait for it).
                    multipart.file(fileField, "a.png", "image/png", ValidRequests.PNG);
                    multipart.closed = false;
                    bytes = multipart.bytes();
                }
                case "preamble-only" -> bytes = Encoding.ascii("just some text without any boundary\r\n");
                case "no-parts" -> bytes = Encoding.ascii("--" + multipart.boundary + "--\r\n");
                case "garbage-after-close" -> bytes = Encoding.concat(multipart.bytes(),
                        Encoding.ascii("--" + multipart.boundary + "\r\ngarbage"));
                default -> {
                    byte[] full = multipart.bytes();
                    bytes = java.util.Arrays.copyOf(full, full.length / 2);
                }
            }
            return ValidRequests.draft(op).body(multipart.contentType(), bytes).build("multipart.structure", variant);
        }));
        gens.add(new Gen("multipart.over-long-attribute", r -> {
            ValidRequests.Multipart multipart = valid.apply(r);
            Field field = pick(r, fields);
            int length = pick(r, List.of(16_385, 20_000, 200_000));
            multipart.field(field.name(), "x".repeat(length).getBytes(StandardCharsets.UTF_8));
            return ValidRequests.draft(op).body(multipart.contentType(), multipart.bytes())
                    .build("multipart.over-long-attribute", field.name() + " of " + length + " bytes");
        }));
        gens.add(new Gen("multipart.many-parts", r -> {
            ValidRequests.Multipart multipart = valid.apply(r);
            int count = pick(r, List.of(1_000, 5_000));
            for (int i = 0; i < count; i++) {
                multipart.field("f" + i, Encoding.ascii(String.valueOf(i)));
            }
            return ValidRequests.draft(op).body(multipart.contentType(), multipart.bytes())
                    .build("multipart.many-parts", count + " parts");
        }));
        gens.add(new Gen("multipart.file", r -> {
            ValidRequests.Multipart multipart = valid.apply(r);
            String variant = pick(r, List.of("garbage", "text-as-png", "truncated-png", "png-as-gif", "empty",
                    "traversal-name", "nul-name", "long-name", "two-files", "file-in-text-field", "text-in-file-field"));
            byte[] truncated = java.util.Arrays.copyOf(ValidRequests.PNG, 40);
            switch (variant) {
                case "garbage" -> multipart.file(fileField, "a.png", "image/png", randomBytes(r, 2000));
                case "text-as-png" -> multipart.file(fileField, "a.png", "image/png", Encoding.ascii("hello"));
                case "truncated-png" -> multipart.file(fileField, "a.png", "image/png", truncated);
                case "png-as-gif" -> multipart.file(fileField, "a.gif", "image/gif", ValidRequests.PNG);
                case "empty" -> multipart.file(fileField, "", "application/octet-stream", new byte[0]);
                case "traversal-name" -> multipart.file(fileField, "../../../etc/passwd", "image/png",
                        ValidRequests.PNG);
                case "nul-name" -> multipart.file(fileField, "a\u0000.png", "image/png", ValidRequests.PNG);
                case "long-name" -> multipart.file(fileField, "n".repeat(10_000) + ".png", "image/png",
                        ValidRequests.PNG);
                case "two-files" -> multipart.file(fileField, "a.png", "image/png", ValidRequests.PNG)
                        .file(fileField, "b.png", "image/png", ValidRequests.PNG);
                case "file-in-text-field" -> multipart.file(fields.isEmpty() ? "name" : pick(r, fields).name(),
                        "a.png", "image/png", ValidRequests.PNG);
                default -> multipart.field(fileField, Encoding.ascii("not a file"));
            }
            return ValidRequests.draft(op).body(multipart.contentType(), multipart.bytes())
                    .build("multipart.file", variant);
        }));
        gens.add(new Gen("multipart.mutated-image", r -> {
            ValidRequests.Multipart multipart = valid.apply(r);
            byte[] image = mutatedImage(r);
            multipart.file(fileField, "a.img", "application/octet-stream", image);
            return ValidRequests.draft(op).body(multipart.contentType(), multipart.bytes())
                    .build("multipart.mutated-image", Escapes.hex(image, 48));
        }));
        gens.add(new Gen("multipart.text", r -> {
            Special special = pick(r, Specials.ALL);
            Field field = pick(r, fields);
            ValidRequests.Multipart multipart = new ValidRequests.Multipart();
            ValidRequests.fields(body).forEach((name, value) -> {
                if (!name.equals(field.name())) {
                    multipart.field(name, Encoding.utf8(value.asText()));
                }
            });
            multipart.field(field.name(), special.bytes());
            Draft draft = ValidRequests.draft(op).body(multipart.contentType(), multipart.bytes());
            draft.refused = special.unstorable();
            return draft.build("multipart.text", special.name() + " in " + field.name());
        }));
    }

    // ------------------------------------------------------------------ raw bodies (images)

    private void rawBodies(Operation op, Body body, List<Gen> gens) {
        gens.add(new Gen("raw.bad-bytes", r -> {
            String variant = pick(r, List.of("empty", "garbage", "text", "truncated", "png-magic-only",
                    "jpeg-magic-only", "huge-dimensions", "other-image-type", "too-large"));
            byte[] png = ValidRequests.PNG;
            byte[] bytes = switch (variant) {
                case "empty" -> new byte[0];
                case "garbage" -> randomBytes(r, 4096);
                case "text" -> Encoding.ascii("{\"name\":\"x\"}");
                case "truncated" -> java.util.Arrays.copyOf(png, png.length / 2);
                case "png-magic-only" -> java.util.Arrays.copyOf(png, 8);
                case "jpeg-magic-only" -> new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF };
                case "huge-dimensions" -> hugePng();
                case "other-image-type" -> ValidRequests.JPEG;
                default -> new byte[6 * 1024 * 1024];
            };
            return ValidRequests.draft(op).body(body.mediaType(), bytes).build("raw.bad-bytes", variant);
        }));
        for (int turn = 0; turn < 3; turn++) {
            gens.add(new Gen("raw.mutated-image", r -> {
                byte[] image = mutatedImage(r);
                return ValidRequests.draft(op).body(body.mediaType(), image).build("raw.mutated-image",
                        Escapes.hex(image, 48));
            }));
        }
        gens.add(new Gen("raw.content-type", r -> {
            String type = pick(r, List.of("image/gif", "image/", "image/png; charset=utf-8", "image/svg+xml",
                    "image/png, image/jpeg", "IMAGE/PNG"));
            return ValidRequests.draft(op).body(type, ValidRequests.PNG).build("raw.content-type", type);
        }));
    }

    /**
     * A real JPEG or PNG carrying metadata (so the stripper has work), then damaged: bytes flipped
     * (mostly in the headers, where lengths live), cut short, or a random run inserted.
     */
    private static byte[] mutatedImage(Random r) {
        byte[] image = r.nextBoolean() ? ValidRequests.JPEG_WITH_METADATA : ValidRequests.PNG_WITH_METADATA;
        byte[] bytes = image.clone();
        switch (r.nextInt(4)) {
            case 0 -> {
                return java.util.Arrays.copyOf(bytes, 3 + r.nextInt(bytes.length - 3));
            }
            case 1 -> {
                int at = 3 + r.nextInt(bytes.length - 3);
                return Encoding.concat(java.util.Arrays.copyOf(bytes, at), randomBytes(r, 1 + r.nextInt(64)),
                        java.util.Arrays.copyOfRange(bytes, at, bytes.length));
            }
            default -> {
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int span = r.nextBoolean() ? Math.min(bytes.length, 200) : bytes.length;
                    int at = 3 + r.nextInt(span - 3);
                    bytes[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : pick(r, List.of(0x00, 0xFF, 0x7F, 0x80)));
                }
                return bytes;
            }
        }
    }

    /** A PNG whose header claims 100000 x 100000 pixels (the pixels are never there). */
    private static byte[] hugePng() {
        byte[] png = ValidRequests.PNG.clone();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(png);
        buffer.putInt(16, 100_000).putInt(20, 100_000);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return png;
    }

    // ------------------------------------------------------------------ text values in any body

    private Case textValue(Operation op, Special special, Random r) {
        List<Body> bodies = op.bodies().stream().filter(b -> !b.raw()).toList();
        Body body = pick(r, bodies);
        List<Field> fields = body.fields().stream().filter(f -> !f.binary()).toList();
        List<Field> freeText = fields.stream().filter(Mutations::freeText).toList();
        // Mostly free-text fields, where a value gets as far as the database; sometimes any field.
        Field field = pick(r, freeText.isEmpty() || r.nextInt(4) == 0 ? fields : freeText);
        String kind = "text." + special.name();
        String detail = special.name() + " in " + field.name() + " as " + body.mediaType();
        Draft draft = switch (body.mediaType()) {
            case JSON -> jsonWith(op, body, field.name(), special.json());
            case URLENCODED -> formWith(op, body, field.name(), special.percent());
            default -> {
                ValidRequests.Multipart multipart = new ValidRequests.Multipart();
                ValidRequests.fields(body).forEach((name, value) -> {
                    if (!name.equals(field.name())) {
                        multipart.field(name, Encoding.utf8(value.asText()));
                    }
                });
                multipart.field(field.name(), special.bytes());
                yield ValidRequests.draft(op).body(multipart.contentType(), multipart.bytes());
            }
        };
        draft.refused = special.unstorable();
        return draft.build(kind, detail);
    }

    // ------------------------------------------------------------------ helpers

    private static boolean freeText(Field field) {
        return field.is("string") && field.enumeration().isEmpty() && field.format() == null
                && !field.name().equals("phone") && !field.name().contains("email") && !field.name().endsWith("_id")
                && !field.name().equals("avatar");
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String b64(String text) {
        return b64Bytes(Encoding.utf8(text));
    }

    private static String b64Bytes(byte[] bytes) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
