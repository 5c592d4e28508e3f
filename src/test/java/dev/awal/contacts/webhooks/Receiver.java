package dev.awal.contacts.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP receiver on a Vert.x of its own (as a separate process would run it). It echoes verification
 * challenges (except on paths starting with /wrong) and answers everything else as {@code answer} says:
 * a status, or null to hold the request unanswered.
 */
final class Receiver implements AutoCloseable {

    /** A request the receiver got: path, every header (lower-case names), body. */
    record Received(String path, Map<String, String> headers, String body) {
        JsonObject json() {
            return new JsonObject(body);
        }

        String type() {
            return json().getString("type");
        }
    }

    private final Vertx vertx = Vertx.vertx();
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final int port;

    /** {@code answer}: (path, call number on that path, 1-based) → status, or null to never answer. */
    Receiver(BiFunction<String, Integer, Integer> answer) throws Exception {
        port = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
            Received got = new Received(request.path(), headers, body.toString());
            received.add(got);
            if ("verification".equals(got.type())) {
                String echo = request.path().startsWith("/wrong") ? "not-the-challenge" : got.json().getString("challenge");
                request.response().setStatusCode(200).end(new JsonObject().put("challenge", echo).encode());
                return;
            }
            int call = calls.computeIfAbsent(request.path(), p -> new AtomicInteger()).incrementAndGet();
            Integer status = answer.apply(request.path(), call);
            if (status != null) {
                respond(request, status);
            }
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private static void respond(HttpServerRequest request, int status) {
        if (status == 429) {
            request.response().putHeader("Retry-After", "7200");
        }
        request.response().setStatusCode(status).end("ok");
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Everything received on {@code path} except verifications. */
    List<Received> on(String path) {
        return received.stream().filter(r -> r.path().equals(path) && !"verification".equals(r.type())).toList();
    }

    /** Waits (at most 15 s) until {@code done} holds for what was received; answers it either way. */
    List<Received> await(Predicate<List<Received>> done) {
        for (int i = 0; i < 300 && !done.test(received); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return new ArrayList<>(received);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
