package dev.awal.contacts.lifecycle;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ErrorResponder;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses new requests once graceful shutdown is draining. Quarkus itself keeps serving new requests
 * until the last in-flight one is done (it only adds {@code Connection: close}); here, after the
 * pre-shutdown delay (readiness already DOWN, so balancers have moved on), a new request gets a 503
 * in the error envelope with {@code Retry-After}, and the client retries on another instance.
 * In-flight requests, uploads included, are past this gate and finish normally. Health endpoints
 * stay open so probes can watch the drain.
 */
@ApplicationScoped
public class ShutdownGate {

    private static final Logger LOG = Logger.getLogger(ShutdownGate.class);
    private final ErrorResponder errors;
    private final Duration delay;
    private volatile long refuseFromNanos;
    private volatile boolean stopping;

    ShutdownGate(ErrorResponder errors, @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay) {
        this.errors = errors;
        this.delay = delay.orElse(Duration.ZERO);
    }

    void register(@Observes Router router) {
        // After RequestIds (-200), so the refusal carries a request id; before authentication (-100).
        router.route().order(-150).handler(this::handle);
    }

    void onShutdown(@Observes ShutdownDelayInitiatedEvent event) {
        refuseFromNanos = System.nanoTime() + delay.toNanos();
        stopping = true;
        LOG.infof("Shutdown requested: serving for %s more, then refusing new requests while in-flight ones finish",
                delay);
    }

    void handle(RoutingContext rc) {
        if (!stopping || System.nanoTime() - refuseFromNanos < 0 || rc.request().path().startsWith("/q/health")) {
            rc.next();
            return;
        }
        rc.response().putHeader("Retry-After", "1").putHeader("Connection", "close");
        errors.send(rc, new ApiException(ErrorCode.SERVICE_UNAVAILABLE,
                "This instance is shutting down; retry the request"));
    }
}
