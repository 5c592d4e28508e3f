package dev.awal.contacts.storage;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/** Not ready while the object store cannot be reached: uploads would only fail with 503. */
@Readiness
@ApplicationScoped
public class ObjectStorageHealthCheck implements AsyncHealthCheck {

    private static final String NAME = "object-storage";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final ObjectStorage storage;
    private final StorageConfig config;

    ObjectStorageHealthCheck(ObjectStorage storage, StorageConfig config) {
        this.storage = storage;
        this.config = config;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        String type = config.type().name().toLowerCase();
        return storage.probe()
                .ifNoItem().after(TIMEOUT).fail()
                .map(ok -> HealthCheckResponse.named(NAME).up().withData("type", type).build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named(NAME).down().withData("type", type).build());
    }
}
