package dev.awal.contacts.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.file.FileSystem;

/**
 * Not ready while an upload could not be stored: the store must take a small write (and delete), and so
 * must the local folder where uploads wait for their checks. A success is trusted for a few seconds
 * ({@link StorageHealth}), so frequent probes cost nothing; while DOWN every probe checks again.
 */
@Readiness
@ApplicationScoped
public class ObjectStorageHealthCheck implements AsyncHealthCheck {

    private static final Logger LOG = Logger.getLogger(ObjectStorageHealthCheck.class);
    private static final String NAME = "object-storage";
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final ObjectStorage storage;
    private final StorageConfig config;
    private final StorageHealth health;
    private final FileSystem fs;
    private final String uploadDirectory;

    /** {@code uploadDirectory}: the body limits' setting, read by name so that storage knows no security type. */
    ObjectStorageHealthCheck(ObjectStorage storage, StorageConfig config, StorageHealth health, Vertx vertx,
            @ConfigProperty(name = "contacts.limits.upload-directory") Path uploadDirectory) {
        this.storage = storage;
        this.config = config;
        this.health = health;
        this.fs = vertx.fileSystem();
        this.uploadDirectory = uploadDirectory.toAbsolutePath().toString();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        String type = config.type().name().toLowerCase();
        if (health.recentlyUp()) {
            return Uni.createFrom().item(HealthCheckResponse.named(NAME).up().withData("type", type).build());
        }
        return storage.probe()
                .chain(this::probeUploadDirectory)
                .ifNoItem().after(TIMEOUT).fail()
                .invoke(health::up)
                .map(ok -> HealthCheckResponse.named(NAME).up().withData("type", type).build())
                .onFailure().recoverWithItem(e -> {
                    health.failed();
                    return HealthCheckResponse.named(NAME).down().withData("type", type).build();
                });
    }

    /** Uploads stream to this folder before they reach the store; a file must be creatable there. */
    private Uni<Void> probeUploadDirectory() {
        String probe = uploadDirectory + "/probe-" + UUID.randomUUID();
        return fs.mkdirs(uploadDirectory)
                .chain(() -> fs.writeFile(probe, Buffer.buffer("probe")))
                .chain(() -> fs.delete(probe))
                .onFailure().invoke(e -> LOG.warnf("The upload folder %s cannot take a file: %s", uploadDirectory, e))
                .onFailure().call(() -> fs.delete(probe).onFailure().recoverWithNull());
    }
}
