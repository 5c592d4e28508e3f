package dev.awal.contacts.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * SIGTERM is how Kubernetes and container runtimes ask the service to stop: it starts the same
 * graceful shutdown as before (readiness DOWN, drain, stop), but the process then exits 0 instead
 * of the JVM's 143, so a requested, clean stop is not reported as a failure.
 */
@ApplicationScoped
public class TerminationSignal {

    void onStart(@Observes StartupEvent event) {
        // Dev mode and tests keep the JVM's own handling; only the packaged service is stopped this way.
        if (LaunchMode.current() == LaunchMode.NORMAL) {
            Signal.handle(new Signal("TERM"), signal -> Quarkus.asyncExit(0));
        }
    }
}
