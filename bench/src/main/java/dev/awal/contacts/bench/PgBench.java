package dev.awal.contacts.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;

/**
 * Runs one of the pgbench scripts in bench/pgbench (the service's own statements) at a given
 * concurrency, with the same warm-up and window as the service, and reads the per-transaction log
 * into a histogram so both sides are summarized the same way.
 */
final class PgBench {

    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final Path scripts;
    private final String database;
    private final Path work;
    private int invocations;

    PgBench(Path scripts, String database, Path work) {
        this.scripts = scripts;
        this.database = database;
        this.work = work;
    }

    LoadRunner.Result run(String name, String script, int concurrency, int warmupSeconds, int measureSeconds,
            Map<String, String> variables) throws IOException, InterruptedException {
        // Scripts that insert derive unique values from the phase (one per pgbench invocation), the client
        // id and a per-client counter :k.
        if (warmupSeconds > 0) {
            pgbench(script, concurrency, warmupSeconds, with(variables, "phase", String.valueOf(invocations++)), false);
        }
        Path logs = Files.createTempDirectory(work, "pgbench-");
        String output = pgbench(script, concurrency, measureSeconds, with(variables, "phase", String.valueOf(invocations++)), true, "--log",
                "--log-prefix=" + logs.resolve("tx"));
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench printed no tps for " + script + ":\n" + output);
        }
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long[] count = { 0 };
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.toList()) {
                // client_id transaction_no time_us script_no time_epoch time_us_fraction
                try (Stream<String> lines = Files.lines(file)) {
                    lines.forEach(line -> {
                        String[] fields = line.split(" ");
                        latency.recordValue(Long.parseLong(fields[2]) * 1000);
                        count[0]++;
                    });
                }
                Files.delete(file);
            }
        }
        Files.delete(logs);
        Map<Integer, Long> statuses = new TreeMap<>();
        statuses.put(0, count[0]);
        return new LoadRunner.Result(name, concurrency, measureSeconds, count[0], Double.parseDouble(tps.group(1)),
                statuses, 0, LoadRunner.Latency.of(latency), Double.NaN, Double.NaN,
                "pgbench");
    }

    private static Map<String, String> with(Map<String, String> variables, String key, String value) {
        Map<String, String> all = new TreeMap<>(variables);
        all.put(key, value);
        all.put("k", "0");
        return all;
    }

    /** The scripts of the statements the service keeps prepared (generic plans). */
    private static final java.util.Set<String> KEPT = java.util.Set.of("get_by_id.sql", "create.sql");

    private String pgbench(String script, int concurrency, int seconds, Map<String, String> variables, boolean check,
            String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("pgbench", "-n", "-M", "prepared",
                "-c", String.valueOf(concurrency), "-j", String.valueOf(Math.min(2, concurrency)),
                "-T", String.valueOf(seconds), "-f", scripts.resolve(script).toString()));
        variables.forEach((key, value) -> command.addAll(List.of("-D", key + "=" + value)));
        command.addAll(List.of(extra));
        command.add(database);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The service plans every execution for its parameters, except the statements it keeps prepared with
        // PostgreSQL's generic plan (persistence/PlanStableStatements: get-by-id, the create); pgbench's sessions
        // get the same mode per statement, so both run the same plans.
        builder.environment().put("PGOPTIONS", "-c plan_cache_mode=" + (KEPT.contains(script) ? "auto" : "force_custom_plan"));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        if (check && exit != 0) {
            throw new IllegalStateException("pgbench failed (" + exit + "): " + String.join(" ", command) + "\n" + output);
        }
        return output;
    }
}
