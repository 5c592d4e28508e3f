package dev.awal.contacts.api;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/**
 * Work that would otherwise block the event loop on first use is done once at start-up, in the
 * background: loading every region's phone metadata takes about a second on a busy two-core
 * machine, and start-up need not wait for it (a request that races it loads the few regions it
 * needs itself; libphonenumber's metadata loading is thread-safe).
 */
@ApplicationScoped
public class StartupWarmup {

    void onStart(@Observes StartupEvent event) {
        CompletableFuture.runAsync(PhoneNumbers::preload);
    }
}
