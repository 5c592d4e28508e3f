package dev.awal.contacts.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

/** Work that would otherwise block the event loop on first use is done once at start-up. */
@ApplicationScoped
public class StartupWarmup {

    void onStart(@Observes StartupEvent event) {
        PhoneNumbers.preload();
    }
}
