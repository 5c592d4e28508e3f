package dev.awal.contacts.bench;

import static dev.awal.contacts.bench.DataGenerator.arg;
import static dev.awal.contacts.bench.DataGenerator.log;
import static dev.awal.contacts.bench.DataGenerator.mainId;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import dev.awal.contacts.bench.LoadRunner.Request;
import dev.awal.contacts.bench.LoadRunner.Result;
import dev.awal.contacts.bench.LoadRunner.Scenario;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;

/**
 * One benchmark run against a running service and its database: every scenario at every
 * concurrency level, each database-comparable one followed at once by pgbench running the
 * service's own statements, written to one JSON file.
 */
public final class Bench {

    static final String CONTACTS = Signer.PREFIX + "/contacts";
    static final String SEARCH_LATIN = DataGenerator.RARE_LATIN;
    /** Unaccented, alef without hamza: must still find الأصبهاني, الإصبهاني and الأَصْبَهاني. */
    static final String SEARCH_ARABIC = "الاصبهاني";
    static final String SEARCH_BROAD = "محمد";
    static final int PER_PAGE = 20;
    static final int DEEP_PAGE = 5000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String[] args;
    private final int mainContacts;
    private final int run;
    private final int warmup;
    private final int measure;
    private final List<Integer> levels;
    private final SplittableRandom random = new SplittableRandom();
    private final ObjectNode output = JSON.createObjectNode();
    private final ArrayNode results = output.putArray("results");
    private final AtomicLong creates = new AtomicLong();
    private final AtomicLong patches = new AtomicLong();
    private final AtomicLong avatars = new AtomicLong();
    private Fixtures fixtures;
    private Wrk wrk;
    private Wrk.Target serviceTarget;
    private Wrk.Target peerTarget;

    private Bench(String[] args) {
        this.args = args;
        this.mainContacts = Integer.parseInt(arg(args, "--contacts", "1000000"));
        this.run = Integer.parseInt(arg(args, "--run", "1"));
        this.warmup = Integer.parseInt(arg(args, "--warmup", "2"));
        this.measure = Integer.parseInt(arg(args, "--measure", "8"));
        this.levels = java.util.Arrays.stream(arg(args, "--levels", "8,32,64").split(",")).map(Integer::valueOf).toList();
    }

    public static void main(String[] args) {
        try {
            new Bench(args).execute();
            System.exit(0);
        } catch (Exception e) {
            // Vert.x threads would keep a failed run alive.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private void execute() throws Exception {
        String jdbcUrl = arg(args, "--jdbc-url", "jdbc:postgresql://127.0.0.1:5432/contacts_bench?user=postgres");
        String only = arg(args, "--only", "");
        fixtures = Fixtures.read(jdbcUrl, mainContacts);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        LoadRunner load = new LoadRunner(vertx, arg(args, "--host", "127.0.0.1"), Integer.parseInt(arg(args, "--port", "8089")),
                arg(args, "--client-id", "bench"), System.getenv("BENCH_SECRET"), DataGenerator.MAIN_WORKSPACE,
                Long.parseLong(arg(args, "--service-pid", "0")));
        // wrk drives every scenario it can (a C client costs the 2-core box far less CPU than the JVM
        // kit); the JVM client stays for what wrk cannot do: 1 MB avatar bodies signed per request, and
        // the cursor walk, where each request depends on the previous answer.
        String clientKind = arg(args, "--client", Wrk.available() ? "wrk" : "java");
        wrk = clientKind.equals("wrk") ? new Wrk(arg(args, "--host", "127.0.0.1"), arg(args, "--client-id", "bench"),
                System.getenv("BENCH_SECRET"), DataGenerator.MAIN_WORKSPACE, Path.of(arg(args, "--wrk-script",
                        "bench/wrk/presigned.lua")), Path.of(arg(args, "--work", "bench/target"))) : null;
        serviceTarget = new Wrk.Target(Integer.parseInt(arg(args, "--port", "8089")),
                Long.parseLong(arg(args, "--service-pid", "0")));
        int peerPort = Integer.parseInt(arg(args, "--peer-port", "0"));
        peerTarget = peerPort == 0 ? null : new Wrk.Target(peerPort, Long.parseLong(arg(args, "--peer-pid", "0")));
        PgBench pgbench = new PgBench(Path.of(arg(args, "--pgbench-scripts", "bench/pgbench")),
                arg(args, "--pgbench-db", "host=127.0.0.1 port=5432 user=postgres dbname=contacts_bench"),
                Path.of(arg(args, "--work", "bench/target")));

        output.put("run", run);
        output.put("client", clientKind);
        output.put("contacts_in_workspace", mainContacts);
        output.put("contacts_total", fixtures.totalContacts);
        output.put("warmup_seconds", warmup);
        output.put("measure_seconds", measure);
        output.putPOJO("levels", levels);
        output.put("fixtures", fixtures.describe());

        Map<String, Definition> scenarios = scenarios(fixtures);
        probe(load, scenarios);
        // Every code path once under load before anything is measured, so that JIT compilation (which
        // competes for the same two cores) is mostly done.
        int globalWarmup = Integer.parseInt(arg(args, "--global-warmup", "3"));
        log("global warm-up, %d s per scenario", globalWarmup);
        for (var entry : scenarios.entrySet()) {
            if (entry.getValue().pending() == null && globalWarmup > 0) {
                run(load, entry.getKey(), entry.getValue(), 16, 0, globalWarmup);
            }
        }
        settleCompilers(load, scenarios, only, Integer.parseInt(arg(args, "--jit-settle-max", "0")), output);
        for (var entry : scenarios.entrySet()) {
            Definition definition = entry.getValue();
            // The peer's row goes with get_by_id, the read it is the yardstick for.
            String selector = entry.getKey().equals("peer_get_by_id") ? "get_by_id" : entry.getKey();
            if (!only.isEmpty() && !List.of(only.split(",")).contains(entry.getKey())
                    && !List.of(only.split(",")).contains(selector)) {
                continue;
            }
            if (definition.pending() != null) {
                ObjectNode row = results.addObject().put("scenario", entry.getKey()).put("pending", definition.pending());
                log("%-18s pending: %s", entry.getKey(), row.get("pending").asText());
                continue;
            }
            for (int level : levels) {
                Result service = run(load, entry.getKey(), definition, level, warmup, measure);
                ObjectNode row = results.addObject();
                row.put("scenario", entry.getKey()).put("concurrency", level);
                row.set("service", summary(service));
                log("%-18s c=%-3d %8.0f req/s p50 %6.2f p95 %6.2f p99 %6.2f ms, CPU ms/req service %.3f client (%s) %.3f, errors %d %s",
                        entry.getKey(), level, service.throughput(), service.latency().p50(), service.latency().p95(),
                        service.latency().p99(), service.serviceCpuMsPerRequest(), service.client(),
                        service.clientCpuMsPerRequest(), service.errors(), service.statuses());
                if (definition.pgbenchScript() != null) {
                    Result db = pgbench.run(entry.getKey(), definition.pgbenchScript(), level, warmup, measure,
                            definition.pgbenchVariables());
                    row.set("pgbench", summary(db));
                    row.put("ratio", service.throughput() / db.throughput());
                    log("%-18s c=%-3d %8.0f tx/s  p50 %6.2f p95 %6.2f p99 %6.2f ms (pgbench) ratio %.2f", "", level,
                            db.throughput(), db.latency().p50(), db.latency().p95(), db.latency().p99(),
                            service.throughput() / db.throughput());
                }
            }
        }
        if (only.isEmpty() || only.contains("cursor_walk")) {
            try {
                cursorWalk(load);
            } catch (Exception e) {
                // Recorded, not fatal: the scenarios' numbers above stand on their own.
                output.putObject("cursor_walk").put("error", e.toString());
                log("cursor walk failed: %s", e);
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path out = Path.of(arg(args, "--out", "bench/target/bench.json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), output);
        log("wrote %s", out);
    }

    /**
     * A scenario and how it is run: {@code peer} sends it unsigned to the peer (bench/peer) instead of
     * the service; {@code jvmClient} keeps it on the JVM kit even when wrk is there.
     */
    record Definition(Scenario scenario, int expected, String pgbenchScript, Map<String, String> pgbenchVariables,
            String pending, boolean peer, boolean jvmClient) {

        static Definition of(Scenario scenario) {
            return new Definition(scenario, 200, null, Map.of(), null, false, false);
        }

        Definition comparedWith(String script, Map<String, String> variables) {
            return new Definition(scenario, expected, script, variables, pending, peer, jvmClient);
        }

        Definition expecting(int status) {
            return new Definition(scenario, status, pgbenchScript, pgbenchVariables, pending, peer, jvmClient);
        }

        Definition pendingBecause(String why) {
            return new Definition(scenario, expected, pgbenchScript, pgbenchVariables, why, peer, jvmClient);
        }

        Definition onPeer() {
            return new Definition(scenario, expected, pgbenchScript, pgbenchVariables, pending, true, jvmClient);
        }

        Definition onJvmClient() {
            return new Definition(scenario, expected, pgbenchScript, pgbenchVariables, pending, peer, true);
        }
    }

    /**
     * Then keeps the measured scenarios under load, 3 s at a time each, until a pass in which the JIT
     * compilers took at most 2 % of the service's CPU (or maxSeconds have gone): a production replica
     * runs for hours, and a window the compilers share measures their warm-up, not a request's cost.
     * With maxSeconds 0 (this option's default; bench/run.sh passes JIT_SETTLE_MAX, 60) nothing more runs; the
     * per-thread split in the results still shows what the compilers took.
     */
    private void settleCompilers(LoadRunner load, Map<String, Definition> scenarios, String only, int maxSeconds,
            ObjectNode output) throws Exception {
        if (maxSeconds <= 0 || serviceTarget.pid() == 0) {
            return;
        }
        long started = System.nanoTime();
        double share = 1;
        int passes = 0;
        while (share > 0.02 && System.nanoTime() - started < maxSeconds * 1_000_000_000L) {
            Map<String, Long> before = ThreadCpu.byKind(serviceTarget.pid());
            for (var entry : scenarios.entrySet()) {
                // The peer too (its row goes with get_by_id): measured right after a 5 s global warm-up, its
                // Hibernate Reactive path was still being compiled (round 12: 0.55 ms of CPU per request at 8
                // connections, falling to 0.29 at 32 a few seconds later). Only the service's JIT share is checked.
                String selector = entry.getKey().equals("peer_get_by_id") ? "get_by_id" : entry.getKey();
                if (entry.getValue().pending() == null
                        && (only.isEmpty() || List.of(only.split(",")).contains(selector))) {
                    for (int level : levels) {
                        run(load, entry.getKey(), entry.getValue(), level, 0, 3);
                    }
                }
            }
            Map<String, Long> after = ThreadCpu.byKind(serviceTarget.pid());
            long total = after.values().stream().mapToLong(Long::longValue).sum()
                    - before.values().stream().mapToLong(Long::longValue).sum();
            long jit = after.getOrDefault("jit", 0L) - before.getOrDefault("jit", 0L);
            share = total <= 0 ? 0 : jit / (double) total;
            passes++;
            log("compilers' share of the service CPU in warm-up pass %d: %.1f %%", passes, share * 100);
        }
        output.put("jit_settle_seconds", Math.round((System.nanoTime() - started) / 1e8) / 10.0);
        output.put("jit_share_last_warmup_pass", share);
    }

    private Result run(LoadRunner load, String name, Definition definition, int level, int warmupSeconds,
            int measureSeconds) throws Exception {
        if (wrk != null && !definition.jvmClient()) {
            return wrk.run(name, definition.scenario(), level, warmupSeconds, measureSeconds, definition.expected(),
                    definition.peer() ? peerTarget : serviceTarget, !definition.peer());
        }
        if (definition.peer()) {
            throw new IllegalStateException("the peer is measured with wrk only");
        }
        return load.run(name, definition.scenario(), level, warmupSeconds, measureSeconds, definition.expected());
    }

    private Map<String, Definition> scenarios(Fixtures fixtures) throws Exception {
        Map<String, Definition> all = new LinkedHashMap<>();
        Map<String, String> count = Map.of("n", String.valueOf(mainContacts), "workspace", DataGenerator.MAIN_WORKSPACE);
        all.put("get_by_id", Definition.of(n -> Request.get(CONTACTS + "/" + randomMainId()))
                .comparedWith("get_by_id.sql", count));
        if (peerTarget != null) {
            // The same read through the bare stack (bench/peer): what Quarkus REST + Hibernate Reactive allow.
            all.put("peer_get_by_id", Definition.of(n -> Request.get(CONTACTS + "/" + randomMainId())).onPeer()
                    .comparedWith("get_by_id.sql", count));
        }
        all.put("list_first_page", Definition.of(n -> Request.get(CONTACTS))
                .comparedWith("list_first_page.sql", count));
        all.put("list_group", Definition.of(n -> Request.get(CONTACTS + "?contact_group_id=" + fixtures.groupId)));
        all.put("search_latin", Definition.of(n -> Request.get(CONTACTS + "?search=" + encode(SEARCH_LATIN)))
                .comparedWith("search_latin.sql", Map.of("workspace", DataGenerator.MAIN_WORKSPACE, "term", SEARCH_LATIN)));
        all.put("search_arabic", Definition.of(n -> Request.get(CONTACTS + "?search=" + encode(SEARCH_ARABIC)))
                .comparedWith("search_name.sql", Map.of("workspace", DataGenerator.MAIN_WORKSPACE, "term", SEARCH_ARABIC)));
        all.put("search_broad", Definition.of(n -> Request.get(CONTACTS + "?search=" + encode(SEARCH_BROAD))));
        all.put("search_phone", Definition.of(n -> Request.get(CONTACTS + "?search=" + fixtures.phoneDigits))
                .comparedWith("search_phone.sql", Map.of("workspace", DataGenerator.MAIN_WORKSPACE, "term", fixtures.phoneDigits, "pattern", like(fixtures.phoneDigits))));
        all.put("cursor_page_2", Definition.of(n -> Request.get(CONTACTS + "?cursor=" + fixtures.cursorPage2)));
        all.put("cursor_page_5000", Definition.of(n -> Request.get(CONTACTS + "?cursor=" + fixtures.cursorPage5000)));
        all.put("page_mode_5000", Definition.of(n -> Request.get(CONTACTS + "?page=" + DEEP_PAGE)));
        String createQuery = "?phone_number_id=" + DataGenerator.SENDER_IDS[0];
        all.put("create", Definition.of(n -> new Request(HttpMethod.POST, CONTACTS + createQuery, "application/json",
                createBody(n))).expecting(201)
                .comparedWith("create.sql", Map.of("workspace", DataGenerator.MAIN_WORKSPACE,
                        "phone_base", String.valueOf(fixtures.nextPgbenchPhone), "sender", DataGenerator.SENDER_IDS[0],
                        "now", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(),
                        "name", "بنش الأنصاري", "full_name", "Bench Contact", "email", "bench@example.com")));
        all.put("patch", Definition.of(n -> new Request(HttpMethod.PATCH, CONTACTS + "/" + randomMainId(),
                "application/json", patchBody())));
        byte[] avatar = jpeg(1 << 20);
        output.put("avatar_bytes", avatar.length);
        // Uploads replace the avatars of the first 2,000 contacts in turn, so the replaced objects are
        // deleted and the stored bytes stay bounded. In turn, not at random: the body never changes, so
        // the same contact twice within one second would be the same signature, rightly refused as a replay.
        all.put("avatar_upload", Definition.of(n -> new Request(HttpMethod.PUT, CONTACTS + "/"
                + mainId(avatars.getAndIncrement() % 2_000) + "/avatar", "image/jpeg", avatar)).onJvmClient());
        return all;
    }

    /** Unique per request (the counter), so no two patches can ever carry the same signature. */
    private byte[] patchBody() {
        long n = patches.getAndIncrement();
        return ("{\"description\":\"bench note " + run + "-" + n + "\",\"is_favorite\":" + (n % 2 == 0) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The LIKE pattern the service binds for the phone digits of a term (digits need no escaping). */
    private static String like(String term) {
        return "%" + term + "%";
    }

    private long randomMainId() {
        return mainId(random.nextLong(mainContacts));
    }

    /**
     * A unique, valid Saudi mobile number per request, in the 57x range the data generator leaves
     * free, continuing after the numbers earlier runs created.
     */
    private byte[] createBody(long n) {
        long number = fixtures.nextCreatePhone + creates.getAndIncrement();
        if (number > 966_578_999_999L) {
            throw new IllegalStateException("the reserved create phone range is used up; reload the database");
        }
        String phone = "+" + number;
        return ("{\"name\":\"بنش " + n + " الأنصاري\",\"full_name\":\"Bench Contact " + n + "\",\"phone\":\"" + phone
                + "\",\"email\":\"bench" + run + "." + n + "@example.com\",\"is_favorite\":" + (n % 10 == 0) + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends each scenario once before measuring: checks the status and keeps the total that search
     * scenarios report, so the results say how selective each term really is. A scenario whose
     * endpoint does not exist yet is marked pending.
     */
    private void probe(LoadRunner load, Map<String, Definition> scenarios) throws Exception {
        PhoneNumberUtil phones = PhoneNumberUtil.getInstance();
        for (String edge : List.of("+966570000000", "+966578999999")) {
            if (!phones.isValidNumber(phones.parse(edge, "ZZ"))) {
                throw new IllegalStateException("the reserved create phone range is not valid: " + edge);
            }
        }
        HttpClient client = load.client(1);
        ObjectNode probes = output.putObject("probes");
        for (var entry : new ArrayList<>(scenarios.entrySet())) {
            Definition definition = entry.getValue();
            Request request = definition.scenario().next(999_999);
            if (definition.peer()) {
                probePeer(probes, entry.getKey(), request);
                continue;
            }
            LoadRunner.Response response = load.send(client, request).toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS);
            ObjectNode probe = probes.putObject(entry.getKey()).put("status", response.status());
            if (response.status() != definition.expected() && entry.getKey().equals("avatar_upload")) {
                // Avatars arrive with the storage work; until then the body limit or the router refuses.
                scenarios.put(entry.getKey(), definition.pendingBecause("PUT /contacts/{id}/avatar is not in this "
                        + "build yet (a 1 MB upload answered " + response.status() + ")"));
                continue;
            }
            if (response.status() != definition.expected()) {
                throw new IllegalStateException(entry.getKey() + " answered " + response.status() + ": "
                        + response.body());
            }
            JsonNode body = JSON.readTree(response.body().getBytes());
            if (body.path("meta").has("total")) {
                probe.set("total", body.path("meta").path("total"));
                probe.put("returned", body.path("data").size());
            }
            if (entry.getKey().startsWith("search_") && body.path("data").isEmpty()) {
                throw new IllegalStateException(entry.getKey() + " found nothing: " + response.body());
            }
        }
        client.close();
    }

    /** The peer checks no signature: one plain GET, which must answer 200 with the contact. */
    private void probePeer(ObjectNode probes, String name, Request request) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> response = client.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + peerTarget.port() + request.uri().substring(Signer.PREFIX.length())))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        probes.putObject(name).put("status", response.statusCode());
        if (response.statusCode() != 200 || !response.body().contains("\"phone\"")) {
            throw new IllegalStateException(name + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** A single client walking cursors from page 1 to page 5,000, as an export would. */
    private void cursorWalk(LoadRunner load) throws Exception {
        HttpClient client = load.client(1);
        Histogram first = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram last = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        String cursor = null;
        long started = System.nanoTime();
        int page = 1;
        for (; page <= DEEP_PAGE; page++) {
            String uri = cursor == null ? CONTACTS : CONTACTS + "?cursor=" + cursor;
            long sent = System.nanoTime();
            LoadRunner.Response response = load.send(client, Request.get(uri)).toCompletionStage()
                    .toCompletableFuture().get(60, TimeUnit.SECONDS);
            long took = System.nanoTime() - sent;
            if (response.status() != 200) {
                throw new IllegalStateException("cursor walk page " + page + " answered " + response.status());
            }
            if (page > 1 && page <= 101) {
                first.recordValue(took);
            } else if (page > DEEP_PAGE - 100) {
                last.recordValue(took);
            }
            cursor = JSON.readTree(response.body().getBytes()).path("meta").path("next_cursor").asText(null);
            if (cursor == null) {
                break;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ObjectNode walk = output.putObject("cursor_walk");
        walk.put("pages", Math.min(page, DEEP_PAGE)).put("seconds", seconds);
        walk.set("pages_2_to_101", summary(first));
        walk.set("pages_4901_to_5000", summary(last));
        log("cursor walk: %d pages in %.1f s; pages 2-101 p50 %.2f ms, pages 4901-5000 p50 %.2f ms",
                Math.min(page, DEEP_PAGE), seconds, ms(first, 50), ms(last, 50));
        client.close();
    }

    private static ObjectNode summary(Result result) {
        ObjectNode node = JSON.createObjectNode();
        LoadRunner.Latency latency = result.latency();
        node.put("p50_ms", latency.p50()).put("p95_ms", latency.p95()).put("p99_ms", latency.p99())
                .put("max_ms", latency.max()).put("mean_ms", latency.mean());
        node.put("requests", result.requests());
        node.put("throughput", result.throughput());
        node.put("errors", result.errors());
        node.putPOJO("statuses", result.statuses());
        if (!Double.isNaN(result.serviceCpuMsPerRequest())) {
            node.put("service_cpu_ms_per_request", result.serviceCpuMsPerRequest());
        }
        if (!result.serviceCpuByThreadKind().isEmpty()) {
            // Which threads the service CPU went to (ThreadCpu): requests' own, or the JIT's and GC's.
            node.putPOJO("service_cpu_ms_per_request_by_thread", result.serviceCpuByThreadKind());
        }
        if (!Double.isNaN(result.clientCpuMsPerRequest())) {
            node.put("client_cpu_ms_per_request", result.clientCpuMsPerRequest());
        }
        node.put("client", result.client());
        return node;
    }

    private static ObjectNode summary(Histogram latency) {
        ObjectNode node = JSON.createObjectNode();
        node.put("p50_ms", ms(latency, 50)).put("p95_ms", ms(latency, 95)).put("p99_ms", ms(latency, 99))
                .put("max_ms", latency.getMaxValue() / 1e6).put("mean_ms", latency.getMean() / 1e6);
        return node;
    }

    static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A real JPEG of about {@code size} bytes: noise compresses badly, so the size is predictable. */
    private static byte[] jpeg(int size) throws Exception {
        int side = 700;
        for (int attempt = 0; attempt < 6; attempt++) {
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            SplittableRandom noise = new SplittableRandom(side);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    image.setRGB(x, y, noise.nextInt(0x1000000));
                }
            }
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            writer.dispose();
            double ratio = bytes.size() / (double) size;
            if (Math.abs(ratio - 1) < 0.05) {
                return bytes.toByteArray();
            }
            side = (int) (side / Math.sqrt(ratio));
        }
        throw new IllegalStateException("could not size the test JPEG");
    }

    /** Facts read from the loaded database: a group to filter by, phone digits, deep cursors. */
    record Fixtures(long totalContacts, long groupId, String phoneDigits, String cursorPage2, String cursorPage5000,
            long nextCreatePhone, long nextPgbenchPhone) {

        static Fixtures read(String jdbcUrl, int mainContacts) throws SQLException {
            try (Connection db = DriverManager.getConnection(jdbcUrl); Statement st = db.createStatement()) {
                long total = single(st, "SELECT count(*) FROM contacts");
                long group = single(st, "SELECT min(id) FROM contact_groups WHERE workspace = '" + DataGenerator.MAIN_WORKSPACE + "'");
                String phone;
                try (ResultSet rs = st.executeQuery("SELECT phone FROM contacts WHERE id = " + mainId(mainContacts / 2))) {
                    rs.next();
                    phone = rs.getString(1);
                }
                // Creates continue after what earlier runs created: the service in SA 57x, pgbench in its own
                // 13-digit 9665-2xx range, so neither ever hits the other's numbers or the loaded ones.
                long nextCreate = 1 + single(st, "SELECT coalesce(max(phone), '966569999999')::bigint FROM contacts "
                        + "WHERE phone BETWEEN '966570000000' AND '966578999999'");
                long nextPgbench = 1 + single(st, "SELECT coalesce(max(substr(phone, 5)), '199999999')::bigint FROM contacts "
                        + "WHERE length(phone) = 13 AND phone LIKE '9665%'");
                return new Fixtures(total, group, phone.substring(phone.length() - 7),
                        cursorAfter(st, PER_PAGE - 1), cursorAfter(st, (DEEP_PAGE - 1) * PER_PAGE - 1), nextCreate,
                        nextPgbench);
            }
        }

        /** The cursor the service would hand out after the row at this offset (sort -created_at). */
        private static String cursorAfter(Statement st, long offset) throws SQLException {
            try (ResultSet rs = st.executeQuery("SELECT extract(epoch FROM created_at)::bigint, id FROM contacts "
                    + "WHERE workspace = '" + DataGenerator.MAIN_WORKSPACE + "' ORDER BY created_at DESC, id DESC "
                    + "OFFSET " + offset + " LIMIT 1")) {
                rs.next();
                String raw = "-created_at\n" + rs.getLong(1) + "\n" + rs.getLong(2);
                return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            }
        }

        private static long single(Statement st, String sql) throws SQLException {
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        ObjectNode describe() {
            ObjectNode node = JSON.createObjectNode();
            node.put("group_id", groupId).put("phone_digits", phoneDigits).put("search_latin", SEARCH_LATIN)
                    .put("search_arabic", SEARCH_ARABIC).put("search_broad", SEARCH_BROAD);
            return node;
        }
    }
}
