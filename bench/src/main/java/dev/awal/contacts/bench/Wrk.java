package dev.awal.contacts.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.bench.LoadRunner.Latency;
import dev.awal.contacts.bench.LoadRunner.Request;
import dev.awal.contacts.bench.LoadRunner.Result;
import dev.awal.contacts.bench.LoadRunner.Scenario;

/**
 * Runs a scenario with wrk (a C load generator, Debian's /usr/bin/wrk) instead of the JVM client, so
 * that on a 2-core machine the client takes little CPU from the service. The requests are built and
 * signed here just before each invocation and handed to bench/wrk/presigned.lua in a file; the script
 * reports wrk's own CPU time, so the results show the client's cost per request beside the service's.
 */
final class Wrk {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Distinct requests a read scenario cycles through (random ids stay random enough). */
    private static final int READS = 20_000;
    /** Write requests signed per second of a run: above any write rate this service reaches on 2 cores. */
    private static final int WRITES_PER_SECOND = 4_000;
    private static final long CLOCK_TICK_MS = 10;

    private final String host;
    private final String workspace;
    private final String clientId;
    private final Signer signer;
    private final Path script;
    private final Path work;

    Wrk(String host, String clientId, String secret, String workspace, Path script, Path work) {
        this.host = host;
        this.clientId = clientId;
        this.workspace = workspace;
        this.signer = secret == null ? null : new Signer(secret);
        this.script = script;
        this.work = work;
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/bin/wrk"));
    }

    /**
     * Warm-up, then the measured window, each a separate wrk invocation with requests signed just
     * before it.
     *
     * @param target the port and process (for its CPU time) of the server under load
     * @param signed false for the peer, which checks no signature
     */
    Result run(String name, Scenario scenario, int concurrency, int warmupSeconds, int measureSeconds,
            int expectedStatus, Target target, boolean signed) throws IOException, InterruptedException {
        if (warmupSeconds > 0) {
            invoke(name, scenario, concurrency, warmupSeconds, target, signed, new long[1]);
        }
        long[] serviceCpu = new long[1];
        Map<String, Long> threadsBefore = ThreadCpu.byKind(target.pid());
        JsonNode out = invoke(name, scenario, concurrency, measureSeconds, target, signed, serviceCpu);
        Map<String, Long> threadsAfter = ThreadCpu.byKind(target.pid());
        long requests = out.path("requests").asLong();
        double seconds = out.path("duration_us").asDouble() / 1e6;
        long errors = out.path("connect_errors").asLong() + out.path("read_errors").asLong()
                + out.path("write_errors").asLong() + out.path("status_errors").asLong() + out.path("timeouts").asLong();
        if (out.path("wrapped").asLong() > 0) {
            throw new IllegalStateException(name + ": wrk sent more writes than were signed; raise WRITES_PER_SECOND");
        }
        // wrk counts answers of 400 and above as status errors and cannot say which status came: the
        // expected status (200 or 201) is checked by the probe before, and any error here is reported.
        Map<Integer, Long> statuses = new TreeMap<>();
        statuses.put(expectedStatus, requests - errors);
        if (errors > 0) {
            statuses.put(-1, errors);
        }
        Latency latency = new Latency(out.path("p50_us").asDouble() / 1e3, out.path("p95_us").asDouble() / 1e3,
                out.path("p99_us").asDouble() / 1e3, out.path("max_us").asDouble() / 1e3, out.path("mean_us").asDouble() / 1e3);
        return new Result(name, concurrency, seconds, requests, requests / seconds, statuses, errors, latency,
                requests == 0 ? Double.NaN : serviceCpu[0] / (double) requests,
                requests == 0 ? Double.NaN : out.path("cpu_ticks").asLong() * CLOCK_TICK_MS / (double) requests, "wrk",
                ThreadCpu.perRequest(threadsBefore, threadsAfter, requests));
    }

    /** Where the load goes: a port and the pid of the process listening there (0: CPU not measured). */
    record Target(int port, long pid) {
    }

    /** One wrk invocation; {@code serverCpu[0]} receives the server's CPU milliseconds while wrk ran. */
    private JsonNode invoke(String name, Scenario scenario, int concurrency, int seconds, Target target, boolean signed,
            long[] serverCpu) throws IOException, InterruptedException {
        Request first = scenario.next(0);
        boolean write = !first.method().name().equals("GET");
        int count = write ? WRITES_PER_SECOND * (seconds + 1) : READS;
        Path file = work.resolve("wrk-" + name + "-" + concurrency + ".requests");
        write(file, scenario, count, target.port(), signed);
        List<String> command = List.of("/usr/bin/wrk", "-t1", "-c" + concurrency, "-d" + seconds + "s", "--timeout", "30s",
                "-s", script.toString(), "http://" + host + ":" + target.port(), "--", file.toString(), write ? "1" : "0");
        long cpuBefore = LoadRunner.cpuMillis(target.pid());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        serverCpu[0] = LoadRunner.cpuMillis(target.pid()) - cpuBefore;
        Files.deleteIfExists(file);
        int at = output.indexOf("WRK_RESULT ");
        if (exit != 0 || at < 0) {
            throw new IllegalStateException("wrk failed (" + exit + "): " + String.join(" ", command) + "\n" + output);
        }
        return JSON.readTree(output.substring(at + "WRK_RESULT ".length()).lines().findFirst().orElseThrow());
    }

    /** Complete HTTP/1.1 requests, each after a line with its length, signed now (one timestamp). */
    private void write(Path file, Scenario scenario, int count, int port, boolean signed) throws IOException {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int n = 0; n < count; n++) {
                Request request = scenario.next(n);
                StringBuilder head = new StringBuilder(256);
                String uri = signed ? request.uri() : request.uri().substring(Signer.PREFIX.length());
                head.append(request.method().name()).append(' ').append(uri).append(" HTTP/1.1\r\n");
                head.append("Host: ").append(host).append(':').append(port).append("\r\n");
                if (signed) {
                    head.append("X-Awal-Signature-256: ")
                            .append(signer.sign(request.method().name(), request.uri(), timestamp, request.body()))
                            .append("\r\nX-Timestamp: ").append(timestamp)
                            .append("\r\nX-Domain: ").append(workspace)
                            .append("\r\nX-Client-ID: ").append(clientId).append("\r\n");
                }
                if (request.body() != null) {
                    head.append("Content-Type: ").append(request.contentType()).append("\r\nContent-Length: ")
                            .append(request.body().length).append("\r\n");
                }
                head.append("\r\n");
                byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
                int length = headBytes.length + (request.body() == null ? 0 : request.body().length);
                out.write((length + "\n").getBytes(StandardCharsets.US_ASCII));
                out.write(headBytes);
                if (request.body() != null) {
                    out.write(request.body());
                }
            }
        }
    }
}
