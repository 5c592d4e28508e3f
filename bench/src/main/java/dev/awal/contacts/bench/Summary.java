package dev.awal.contacts.bench;

import static dev.awal.contacts.bench.DataGenerator.arg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Folds the runs of one benchmark invocation into medians and checks them against the targets of
 * issue 5. Writes {@code <out>.json} and {@code <out>.md}.
 */
public final class Summary {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TARGET_LEVEL = 32;

    public static void main(String[] args) throws IOException {
        Path runs = Path.of(arg(args, "--runs", "bench/results/runs"));
        List<JsonNode> benches = read(runs, "bench-");
        List<JsonNode> services = read(runs, "service-");
        if (benches.isEmpty()) {
            throw new IllegalStateException("no bench-*.json in " + runs);
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("generated_at", Instant.now().toString());
        out.put("command", arg(args, "--command", ""));
        out.put("cores", Integer.parseInt(arg(args, "--cores", "0")));
        out.put("postgresql", arg(args, "--pg-version", ""));
        out.put("java", arg(args, "--java", ""));
        out.put("runs", benches.size());
        // Relative to the checkout (run.sh runs from its root): result files carry no local paths.
        Path here = Path.of("").toAbsolutePath();
        Path raw = runs.toAbsolutePath().normalize();
        out.put("raw_runs", (raw.startsWith(here) ? here.relativize(raw) : raw.getFileName()).toString());
        JsonNode first = benches.get(0);
        for (String field : List.of("contacts_in_workspace", "contacts_total", "warmup_seconds", "measure_seconds",
                "fixtures", "probes")) {
            out.set(field, first.get(field));
        }
        ObjectNode service = out.putObject("service");
        service.put("start_to_first_request_ms", median(services, s -> s.path("start_to_first_request_ms").asDouble()));
        service.put("quarkus_started_in_s", median(services, s -> s.path("quarkus_started_in_s").asDouble()));
        service.put("rss_after_run_mib", median(services, s -> s.path("rss_after_run_kb").asDouble() / 1024));
        service.put("start_with_class_archive_ms", median(services, s -> s.path("start_with_class_archive_ms").asDouble()));
        service.put("quarkus_started_in_s_with_class_archive",
                median(services, s -> s.path("quarkus_started_in_s_with_class_archive").asDouble()));

        ArrayNode rows = out.putArray("results");
        Map<String, ObjectNode> byKey = new LinkedHashMap<>();
        for (JsonNode row : first.path("results")) {
            String scenario = row.path("scenario").asText();
            ObjectNode merged = rows.addObject().put("scenario", scenario);
            if (row.has("pending")) {
                merged.put("pending", row.path("pending").asText());
                continue;
            }
            int level = row.path("concurrency").asInt();
            merged.put("concurrency", level);
            List<JsonNode> same = new ArrayList<>();
            for (JsonNode bench : benches) {
                for (JsonNode other : bench.path("results")) {
                    if (other.path("scenario").asText().equals(scenario) && other.path("concurrency").asInt() == level) {
                        same.add(other);
                    }
                }
            }
            merged.set("service", medians(same, "service"));
            if (row.has("pgbench")) {
                merged.set("pgbench", medians(same, "pgbench"));
                merged.put("ratio", median(same, r -> r.path("ratio").asDouble()));
            }
            byKey.put(scenario + "@" + level, merged);
        }
        for (ObjectNode row : byKey.values()) {
            verdict(row, byKey);
        }
        ObjectNode walk = out.putObject("cursor_walk");
        List<JsonNode> walked = benches.stream().filter(b -> b.path("cursor_walk").has("seconds")).toList();
        walk.put("runs", walked.size());
        benches.stream().map(b -> b.path("cursor_walk").path("error")).filter(JsonNode::isTextual)
                .forEach(error -> walk.withArray("errors").add(error));
        walk.put("pages_2_to_101_p50_ms", median(walked, b -> b.path("cursor_walk").path("pages_2_to_101").path("p50_ms").asDouble()));
        walk.put("pages_4901_to_5000_p50_ms", median(walked, b -> b.path("cursor_walk").path("pages_4901_to_5000").path("p50_ms").asDouble()));
        walk.put("seconds_for_5000_pages", median(walked, b -> b.path("cursor_walk").path("seconds").asDouble()));
        double start = service.path("start_to_first_request_ms").asDouble();
        service.put("target", "start to first served request <= 2000 ms").put("met", start <= 2000);

        String base = arg(args, "--out", "bench/results/latest");
        JSON.writerWithDefaultPrettyPrinter().writeValue(Path.of(base + ".json").toFile(), out);
        Files.writeString(Path.of(base + ".md"), markdown(out));
        System.out.print(markdown(out));
    }

    private static List<JsonNode> read(Path dir, String prefix) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList()) {
                nodes.add(JSON.readTree(file.toFile()));
            }
        }
        return nodes;
    }

    private static ObjectNode medians(List<JsonNode> rows, String side) {
        ObjectNode node = JSON.createObjectNode();
        for (String field : List.of("throughput", "p50_ms", "p95_ms", "p99_ms", "max_ms", "errors",
                "service_cpu_ms_per_request", "client_cpu_ms_per_request")) {
            List<JsonNode> having = rows.stream().filter(r -> r.path(side).has(field)).toList();
            if (!having.isEmpty()) {
                node.put(field, median(having, r -> r.path(side).path(field).asDouble()));
            }
        }
        node.put("client", rows.get(0).path(side).path("client").asText(""));
        String byThread = "service_cpu_ms_per_request_by_thread";
        List<JsonNode> split = rows.stream().filter(r -> r.path(side).has(byThread)).toList();
        if (!split.isEmpty()) {
            ObjectNode kinds = node.putObject(byThread);
            split.get(0).path(side).path(byThread).fieldNames().forEachRemaining(kind -> kinds.put(kind,
                    median(split, r -> r.path(side).path(byThread).path(kind).asDouble())));
        }
        return node;
    }

    static double median(List<JsonNode> nodes, Function<JsonNode, Double> value) {
        List<Double> values = nodes.stream().map(value).sorted().toList();
        if (values.isEmpty()) {
            return Double.NaN;
        }
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    /** The issue's target for this row, if it has one at this concurrency, and whether the medians meet it. */
    private static void verdict(ObjectNode row, Map<String, ObjectNode> byKey) {
        String scenario = row.path("scenario").asText();
        int level = row.path("concurrency").asInt();
        double p95 = row.path("service").path("p95_ms").asDouble();
        switch (scenario) {
            case "get_by_id" -> target(row, "throughput >= 50% of pgbench, service CPU <= 0.10 ms/req",
                    row.path("ratio").asDouble() >= 0.5 && row.path("service").path("service_cpu_ms_per_request").asDouble() <= 0.10);
            case "create" -> target(row, "throughput >= 75% of pgbench", row.path("ratio").asDouble() >= 0.75);
            case "list_first_page", "list_group" -> {
                if (level == TARGET_LEVEL) {
                    target(row, "p95 <= 10 ms", p95 <= 10);
                }
            }
            case "search_latin", "search_arabic", "search_phone" -> {
                if (level == TARGET_LEVEL) {
                    target(row, "p95 <= 25 ms", p95 <= 25);
                }
            }
            case "search_broad" -> {
                if (level == TARGET_LEVEL) {
                    target(row, "p95 <= 250 ms", p95 <= 250);
                }
            }
            case "cursor_page_5000" -> {
                ObjectNode page2 = byKey.get("cursor_page_2@" + level);
                if (page2 != null) {
                    double slower = p95 / page2.path("service").path("p95_ms").asDouble();
                    double fewer = page2.path("service").path("throughput").asDouble()
                            / row.path("service").path("throughput").asDouble();
                    row.put("vs_cursor_page_2_p95", slower);
                    target(row, "within 20% of cursor page 2 (p95 and throughput)", slower <= 1.2 && fewer <= 1.2);
                }
            }
            default -> {
            }
        }
    }

    private static void target(ObjectNode row, String target, boolean met) {
        row.put("target", target).put("met", met);
    }

    private static String markdown(JsonNode out) {
        StringBuilder md = new StringBuilder();
        JsonNode service = out.path("service");
        md.append("# Benchmark results\n\n");
        md.append(String.format(Locale.ROOT, "%,d contacts in the measured workspace (%,d in the table), %d CPU cores "
                + "(load generator, service and PostgreSQL on the same machine), PostgreSQL %s, %s. "
                + "Medians of %d runs; each scenario and level: %d s warm-up, %d s measured, closed loop.%n%n",
                out.path("contacts_in_workspace").asLong(), out.path("contacts_total").asLong(), out.path("cores").asInt(),
                out.path("postgresql").asText(), out.path("java").asText(), out.path("runs").asInt(),
                out.path("warmup_seconds").asInt(), out.path("measure_seconds").asInt()));
        md.append("Command: `").append(out.path("command").asText()).append("`\n\n");
        md.append("Rows named `peer_*` are the peer (bench/peer): the same read through the bare stack, Quarkus REST + "
                + "Hibernate Reactive Panache, one SELECT by id, no signature; its \"service CPU\" is the peer's. CPU per "
                + "request is user + system time from /proc over the measured window: the server's, and the load "
                + "generator's own (`wrk`, or the JVM kit where wrk cannot run the scenario).\n\n");
        md.append("| scenario | conc. | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | client CPU ms/req (client) | pgbench tx/s | pgbench p95 ms | ratio to pgbench | target | met |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        for (JsonNode row : out.path("results")) {
            if (row.has("pending")) {
                md.append("| ").append(row.path("scenario").asText()).append(" | | pending: ")
                        .append(row.path("pending").asText()).append(" | | | | | | | | | | | |\n");
                continue;
            }
            JsonNode s = row.path("service");
            JsonNode db = row.path("pgbench");
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.path("scenario").asText(), row.path("concurrency").asInt(), s.path("throughput").asDouble(),
                    s.path("p50_ms").asDouble(), s.path("p95_ms").asDouble(), s.path("p99_ms").asDouble(),
                    s.has("service_cpu_ms_per_request") ? String.format(Locale.ROOT, "%.3f", s.path("service_cpu_ms_per_request").asDouble()) : "",
                    s.has("client_cpu_ms_per_request") ? String.format(Locale.ROOT, "%.3f (%s)",
                            s.path("client_cpu_ms_per_request").asDouble(), s.path("client").asText()) : "",
                    db.isMissingNode() ? "" : String.format(Locale.ROOT, "%.0f", db.path("throughput").asDouble()),
                    db.isMissingNode() ? "" : String.format(Locale.ROOT, "%.2f", db.path("p95_ms").asDouble()),
                    row.has("ratio") ? String.format(Locale.ROOT, "%.2f", row.path("ratio").asDouble()) : "",
                    row.path("target").asText(""), row.has("met") ? (row.path("met").asBoolean() ? "yes" : "**no**") : ""));
        }
        StringBuilder threads = new StringBuilder();
        for (JsonNode row : out.path("results")) {
            JsonNode kinds = row.path("service").path("service_cpu_ms_per_request_by_thread");
            if (kinds.isObject()) {
                StringBuilder parts = new StringBuilder();
                kinds.fields().forEachRemaining(kind -> parts.append(parts.isEmpty() ? "" : ", ")
                        .append(String.format(Locale.ROOT, "%s %.3f", kind.getKey(), kind.getValue().asDouble())));
                threads.append(String.format(Locale.ROOT, "| %s | %d | %s |%n", row.path("scenario").asText(),
                        row.path("concurrency").asInt(), parts));
            }
        }
        if (!threads.isEmpty()) {
            md.append("\nServer CPU ms/req by thread (medians; `event_loop` and `worker` serve requests, `jit` is the "
                    + "JIT compilers, `vm_gc` the VM thread and collectors, `other` the rest):\n\n| scenario | conc. | by thread |\n"
                    + "|---|---:|---|\n").append(threads);
        }
        JsonNode walk = out.path("cursor_walk");
        md.append(String.format(Locale.ROOT, "%nCursor walk, one client, page 1 to 5,000 (%d runs): %.1f s; p50 %.2f ms on "
                + "pages 2-101, %.2f ms on pages 4,901-5,000.%s%n", walk.path("runs").asInt(),
                walk.path("seconds_for_5000_pages").asDouble(), walk.path("pages_2_to_101_p50_ms").asDouble(),
                walk.path("pages_4901_to_5000_p50_ms").asDouble(),
                walk.has("errors") ? " Failed walks: " + walk.path("errors") : ""));
        md.append(String.format(Locale.ROOT, "%nService: JVM launch to first served request %.0f ms (target <= 2000 ms: %s; "
                + "Quarkus reports started in %.3f s); RSS after the run %.0f MiB.%n",
                service.path("start_to_first_request_ms").asDouble(), service.path("met").asBoolean() ? "met" : "**missed**",
                service.path("quarkus_started_in_s").asDouble(), service.path("rss_after_run_mib").asDouble()));
        if (service.path("start_with_class_archive_ms").asDouble() > 0) { // CDS=0 runs leave the archive start out
            md.append(String.format(Locale.ROOT, "With a class-data archive of the build (`-XX:SharedArchiveFile`, written by a "
                    + "training start): %.0f ms to the first served request (Quarkus reports started in %.3f s).%n",
                    service.path("start_with_class_archive_ms").asDouble(),
                    service.path("quarkus_started_in_s_with_class_archive").asDouble()));
        }
        md.append("\nSearch terms and how many contacts they match (meta.total of the probe):\n\n");
        JsonNode fixtures = out.path("fixtures");
        JsonNode probes = out.path("probes");
        for (String[] term : new String[][] { { "search_latin", "search_latin" }, { "search_arabic", "search_arabic" },
                { "search_broad", "search_broad" }, { "search_phone", "phone_digits" } }) {
            md.append(String.format(Locale.ROOT, "- %s `%s`: %s%n", term[0], fixtures.path(term[1]).asText(),
                    probes.path(term[0]).path("total").asText("?")));
        }
        return md.toString();
    }
}
