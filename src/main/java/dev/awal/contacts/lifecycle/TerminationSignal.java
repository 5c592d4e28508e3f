package dev.awal.contacts.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * SIGTERM is how Kubernetes and container runtimes ask the service to stop. By default the JVM
 * answers it by running every shutdown hook at once, Quarkus' graceful drain alongside the others;
 * one of those (Vert.x's) deletes the file cache, after which no new file can be created through
 * Vert.x, so an upload still arriving during the drain failed with 500. And Quarkus' drain ends by
 * closing the server under whatever connections are still open. Here SIGTERM first drains the
 * connections ({@link ShutdownGate#drain}: readiness DOWN for {@code quarkus.shutdown.delay}, then
 * refusal and closing between requests for at most {@code quarkus.shutdown.timeout}), and only then asks
 * Quarkus to stop, which finds nothing left in flight; the JVM exits with status 0 rather than 143, so
 * a requested, clean stop is not a failure. (Quarkus' own pre-shutdown delay is switched off,
 * {@code quarkus.shutdown.delay-enabled=false}, so the delay is not served twice.)
 */
@ApplicationScoped
public class TerminationSignal {

    private static final Logger LOG = Logger.getLogger(TerminationSignal.class);

    private final ShutdownGate gate;
    private final Duration delay;
    private final Duration timeout;
    private final AtomicBoolean requested = new AtomicBoolean();

    TerminationSignal(ShutdownGate gate, @ConfigProperty(name = "quarkus.shutdown.delay") Optional<Duration> delay,
            @ConfigProperty(name = "quarkus.shutdown.timeout") Optional<Duration> timeout) {
        this.gate = gate;
        this.delay = delay.orElse(Duration.ZERO);
        this.timeout = timeout.orElse(Duration.ofSeconds(30));
    }

    void onStart(@Observes StartupEvent event) {
        // Dev mode and tests keep the JVM's own handling; only the packaged service is stopped this way.
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Signal.handle(new Signal("TERM"), signal -> {
                if (requested.compareAndSet(false, true)) {
                    Thread drain = new Thread(this::drainThenExit, "shutdown-drain");
                    drain.start();
                }
            });
        }
    }

    private void drainThenExit() {
        try {
            gate.drain(delay, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Connection drain interrupted; stopping now");
        } catch (RuntimeException e) {
            LOG.error("Connection drain failed; stopping now", e);
        } finally {
            Quarkus.asyncExit(0);
        }
    }
}
