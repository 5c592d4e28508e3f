package dev.awal.contacts.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.HdrHistogram.Histogram;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * A closed-loop load generator: {@code concurrency} connections, each sending its next request as
 * soon as the previous answer has been read completely. Every request is built and signed afresh.
 * Latency is recorded only for requests both sent and answered inside the measured window.
 */
final class LoadRunner {

    /** One request to send: a URI under /api/developer (query included) and an optional body. */
    record Request(HttpMethod method, String uri, String contentType, byte[] body) {

        static Request get(String uri) {
            return new Request(HttpMethod.GET, uri, null, null);
        }
    }

    /** Produces the n-th request of a scenario; called on the client's event loop only. */
    interface Scenario {
        Request next(long n);
    }

    /**
     * One side's numbers for a measured window. {@code clientCpuMsPerRequest} is the load generator's
     * own CPU time per request ({@code client}: "wrk" or "java"), NaN where not measured.
     */
    record Result(String scenario, int concurrency, double seconds, long requests, double throughput,
            Map<Integer, Long> statuses, long errors, Latency latency, double serviceCpuMsPerRequest,
            double clientCpuMsPerRequest, String client, Map<String, Double> serviceCpuByThreadKind) {

        Result(String scenario, int concurrency, double seconds, long requests, double throughput,
                Map<Integer, Long> statuses, long errors, Latency latency, double serviceCpuMsPerRequest,
                double clientCpuMsPerRequest, String client) {
            this(scenario, concurrency, seconds, requests, throughput, statuses, errors, latency, serviceCpuMsPerRequest,
                    clientCpuMsPerRequest, client, Map.of());
        }
    }

    /** Latency percentiles in milliseconds. */
    record Latency(double p50, double p95, double p99, double max, double mean) {

        static Latency of(Histogram histogram) {
            return new Latency(Bench.ms(histogram, 50), Bench.ms(histogram, 95), Bench.ms(histogram, 99),
                    histogram.getMaxValue() / 1e6, histogram.getMean() / 1e6);
        }
    }

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final String clientId;
    private final String workspace;
    private final Signer signer;

    private final long servicePid;
    private final Context context;

    /** @param servicePid the service's process, whose CPU time per request is reported (0: not measured) */
    LoadRunner(Vertx vertx, String host, int port, String clientId, String secret, String workspace, long servicePid) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.servicePid = servicePid;
        this.host = host;
        this.port = port;
        this.clientId = clientId;
        this.workspace = workspace;
        this.signer = new Signer(secret);
    }

    /**
     * Sends one request and hands over its status and body (for probes and cursor walks). Always
     * on the client's event loop: handling a response from another thread races the event loop for
     * its body, and a lost race is a request that never completes.
     */
    Future<Response> send(HttpClient client, Request request) {
        if (Context.isOnEventLoopThread()) {
            return sendOnEventLoop(client, request);
        }
        Promise<Response> answered = Promise.promise();
        context.runOnContext(v -> sendOnEventLoop(client, request).onComplete(answered));
        return answered.future();
    }

    private Future<Response> sendOnEventLoop(HttpClient client, Request request) {
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        RequestOptions options = new RequestOptions().setMethod(request.method()).setHost(host).setPort(port)
                .setURI(request.uri())
                .putHeader("X-Awal-Signature-256", signer.sign(request.method().name(), request.uri(), timestamp, request.body()))
                .putHeader("X-Timestamp", timestamp)
                .putHeader("X-Domain", workspace)
                .putHeader("X-Client-ID", clientId);
        if (request.contentType() != null) {
            options.putHeader("Content-Type", request.contentType());
        }
        return client.request(options)
                .compose(req -> request.body() == null ? req.send() : req.send(Buffer.buffer(request.body())))
                .compose(resp -> resp.body().map(body -> new Response(resp.statusCode(), body)));
    }

    record Response(int status, Buffer body) {
    }

    HttpClient client(int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setPipelining(false)
                .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(connections));
    }

    /** Runs the scenario for warm-up plus measured seconds and returns the measured window's numbers. */
    Result run(String name, Scenario scenario, int concurrency, int warmupSeconds, int measureSeconds,
            int expectedStatus) throws Exception {
        HttpClient client = client(concurrency);
        Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Map<Integer, Long> statuses = new TreeMap<>();
        long[] counters = new long[3]; // sequence, measured requests, errors
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long measureUntil = measureFrom + TimeUnit.SECONDS.toNanos(measureSeconds);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long[] cpu = new long[4]; // service and this client (the JVM kit) at the window's start and end
        context.runOnContext(v -> {
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureFrom - System.nanoTime())), t -> {
                cpu[0] = cpuMillis(servicePid);
                cpu[2] = cpuMillis(ProcessHandle.current().pid());
            });
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureUntil - System.nanoTime())), t -> {
                cpu[1] = cpuMillis(servicePid);
                cpu[3] = cpuMillis(ProcessHandle.current().pid());
            });
        });
        int[] running = { concurrency };
        context.runOnContext(v -> {
            for (int i = 0; i < concurrency; i++) {
                loop(client, scenario, counters, measureFrom, measureUntil, latency, statuses, expectedStatus, () -> {
                    if (--running[0] == 0) {
                        done.complete(null);
                    }
                });
            }
        });
        done.get(warmupSeconds + measureSeconds + 120L, TimeUnit.SECONDS);
        client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new Result(name, concurrency, measureSeconds, counters[1], counters[1] / (double) measureSeconds,
                statuses, counters[2], Latency.of(latency), servicePid == 0 || counters[1] == 0 ? Double.NaN
                        : (cpu[1] - cpu[0]) / (double) counters[1],
                counters[1] == 0 ? Double.NaN : (cpu[3] - cpu[2]) / (double) counters[1], "java");
    }

    /**
     * A process's CPU time (user + system, all threads) in milliseconds, from /proc: on a shared
     * machine the service's CPU cost per request is steadier than its throughput.
     */
    static long cpuMillis(long pid) {
        if (pid == 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the whole line, in clock ticks of 10 ms.
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loop(HttpClient client, Scenario scenario, long[] counters, long measureFrom, long measureUntil,
            Histogram latency, Map<Integer, Long> statuses, int expectedStatus, Runnable finished) {
        long sent = System.nanoTime();
        if (sent >= measureUntil) {
            finished.run();
            return;
        }
        Request request = scenario.next(counters[0]++);
        Consumer<Integer> record = status -> {
            long answered = System.nanoTime();
            if (sent >= measureFrom && answered <= measureUntil) {
                counters[1]++;
                statuses.merge(status, 1L, Long::sum);
                if (status == expectedStatus) {
                    latency.recordValue(answered - sent);
                } else {
                    counters[2]++;
                }
            }
            loop(client, scenario, counters, measureFrom, measureUntil, latency, statuses, expectedStatus, finished);
        };
        send(client, request).onComplete(result -> record.accept(result.succeeded() ? result.result().status() : -1));
    }
}
