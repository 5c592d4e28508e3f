package dev.awal.contacts.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import sun.misc.Signal;

/**
 * SIGTERM is how Kubernetes and container runtimes ask the service to stop. By default the JVM
 * answers it by running every shutdown hook at once, Quarkus' graceful drain alongside the others;
 * one of those (Vert.x's) deletes the file cache, after which no new file can be created through
 * Vert.x, so an upload still arriving during the drain failed with 500. Here SIGTERM asks Quarkus
 * to stop instead: readiness DOWN, refuse new requests, let in-flight ones finish — and only then
 * does the JVM exit, with status 0 rather than 143, so a requested, clean stop is not a failure.
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
