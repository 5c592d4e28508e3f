package dev.awal.contacts.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

import io.restassured.response.Response;

/**
 * Starts requests together (a barrier releases them at once) and collects every answer. The
 * deadline only bounds a hung test: a request that never answers is a failure, not a wait.
 */
final class Race {

    /** What one racer got: the request it was, and the answer. */
    record Answer(String request, int status, String body) {
        @Override
        public String toString() {
            return request + " -> " + status + " " + body;
        }
    }

    private Race() {
    }

    static List<Answer> run(int racers, IntFunction<Racer> racer) {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CyclicBarrier start = new CyclicBarrier(racers);
        try {
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                Racer one = racer.apply(i);
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    Response response = one.send();
                    return new Answer(one.name(), response.statusCode(), response.asString());
                }));
            }
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> future : futures) {
                try {
                    answers.add(future.get(60, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("a racing request got no answer within 60 s; answers so far: " + answers);
                }
            }
            return answers;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** One racing request, named for the failure message. */
    interface Racer {
        String name();

        Response send();

        static Racer of(String name, java.util.function.Supplier<Response> send) {
            return new Racer() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public Response send() {
                    return send.get();
                }
            };
        }
    }

    static long count(List<Answer> answers, int status) {
        return answers.stream().filter(a -> a.status() == status).count();
    }
}
