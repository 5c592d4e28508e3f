package dev.awal.contacts.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ErrorResponder;
import dev.awal.contacts.api.RouteOrder;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Drains HTTP connections on shutdown so that every request the server has read gets an answer.
 * <p>
 * Quarkus' own drain waits for in-flight requests and then closes the server, which cuts every
 * connection at once: a keep-alive connection whose next request arrived in that moment lost it with
 * no answer. Here every connection is known, with the number of requests it has in flight, and the
 * drain ({@link #drain}) closes connections only between requests:
 * <ol>
 * <li>stopping: readiness is DOWN (balancers move away), requests are still served, each answer carries
 * {@code Connection: close} and its connection is closed once it is idle;</li>
 * <li>after the delay: new requests get a 503 in the error envelope with {@code Retry-After} (health
 * endpoints stay open so probes can watch), idle connections are closed, busy ones once their answer
 * is out;</li>
 * <li>once no connection is left (or the timeout passed, when what is still open is cut), the
 * application is stopped and Quarkus closes the server with nothing on it.</li>
 * </ol>
 * A client that writes a request on an idle connection in the instant it is closed sees the close
 * before any answer; HTTP/1.1 clients retry that (the request was never read).
 */
@ApplicationScoped
public class ShutdownGate {

    private static final Logger LOG = Logger.getLogger(ShutdownGate.class);
    private static final long POLL_MILLIS = 50;

    private final ErrorResponder errors;
    /** Every open connection that has sent a request, with what it has in flight. */
    private final Map<HttpConnection, Tracked> connections = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile boolean refusing;

    ShutdownGate(ErrorResponder errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        // After RequestIds (-200), so the refusal carries a request id; before authentication (-100).
        router.route().order(RouteOrder.SHUTDOWN_GATE).handler(this::handle);
    }

    public boolean stopping() {
        return stopping;
    }

    void handle(RoutingContext rc) {
        HttpConnection connection = rc.request().connection();
        Tracked tracked = connections.computeIfAbsent(connection, this::track);
        tracked.inFlight.incrementAndGet();
        // Decided when the answer goes out, so a request that was in flight when shutdown began says it too.
        rc.addHeadersEndHandler(headers -> {
            if (stopping) {
                rc.response().putHeader("Connection", "close");
            }
        });
        rc.addEndHandler(ended -> {
            if (tracked.inFlight.decrementAndGet() == 0 && stopping) {
                connection.close();
            }
        });
        if (!refusing || rc.request().path().startsWith("/q/health")) {
            rc.next();
            return;
        }
        errors.send(rc, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                "This instance is shutting down; retry the request").retryAfter(1));
    }

    private Tracked track(HttpConnection connection) {
        // The connection's only close handler: Quarkus sets one only when quarkus.http.limits.max-connections is.
        connection.closeHandler(closed -> connections.remove(connection));
        return new Tracked(Vertx.currentContext());
    }

    /**
     * Runs the whole drain on the calling thread (not an event loop): serve for {@code delay} with
     * readiness DOWN, then refuse and close connections as they become idle, for at most {@code timeout}.
     */
    public void drain(Duration delay, Duration timeout) throws InterruptedException {
        stopping = true;
        LOG.infof("Shutdown requested: readiness DOWN, serving for %s more, then refusing new requests", delay);
        Thread.sleep(delay.toMillis());
        refusing = true;
        connections.forEach(this::closeIfIdle);
        Instant deadline = Instant.now().plus(timeout);
        while (!connections.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(POLL_MILLIS);
        }
        if (!connections.isEmpty()) {
            LOG.warnf("Closing %d connection(s) still busy after %s", connections.size(), timeout);
            connections.keySet().forEach(HttpConnection::close);
        }
        LOG.info("All HTTP connections drained");
    }

    /** On the connection's own event loop, where no request of it can be starting in between. */
    private void closeIfIdle(HttpConnection connection, Tracked tracked) {
        tracked.context.runOnContext(v -> {
            if (tracked.inFlight.get() == 0) {
                connection.close();
            }
        });
    }

    private record Tracked(Context context, AtomicInteger inFlight) {
        Tracked(Context context) {
            this(context, new AtomicInteger());
        }
    }
}
