package dev.awal.contacts.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.InputFields;
import dev.awal.contacts.api.ReceivedBody;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * Races service calls the way racing requests run them (each on a fresh Vert.x context), for rules
 * that a service already keeps before its resource exposes them. Each racer ends as the HTTP status
 * it would be answered with: 200, or the {@link ApiException}'s status.
 */
public final class ServiceRace {

    private ServiceRace() {
    }

    /** Parsed input fields of a JSON body, as a resource hands them to a service. */
    public static InputFields json(String body, ObjectMapper mapper) {
        return InputFields.parse(new ReceivedBody("application/json", Buffer.buffer(body.getBytes(StandardCharsets.UTF_8)),
                null, List.of()), mapper);
    }

    public static List<Integer> run(Vertx vertx, int racers, IntFunction<Supplier<Uni<?>>> racer) {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CyclicBarrier start = new CyclicBarrier(racers);
        try {
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Supplier<Uni<?>> work = racer.apply(i);
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        OnVertx.await(vertx, () -> work.get().replaceWith(200));
                        return 200;
                    } catch (IllegalStateException e) {
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            if (t instanceof ApiException api) {
                                return api.code().status();
                            }
                        }
                        throw e;
                    }
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> future : futures) {
                statuses.add(future.get(90, TimeUnit.SECONDS));
            }
            return statuses;
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
