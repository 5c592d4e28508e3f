package dev.awal.contacts.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

import io.quarkus.runtime.Startup;
import io.vertx.mutiny.core.Vertx;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/** Picks the backend named by {@code contacts.storage.type}; the S3 client is only built when it is used. */
@ApplicationScoped
class ObjectStorageProducer {

    /** Built at start-up, so a misconfiguration fails the start rather than the first upload. */
    @Produces
    @ApplicationScoped
    @Startup
    ObjectStorage objectStorage(StorageConfig config, Instance<S3AsyncClient> s3, Vertx vertx, StorageHealth health) {
        return switch (config.type()) {
            case S3 -> new S3ObjectStorage(s3.get(), config.s3().bucket(), health);
            case FILESYSTEM -> {
                FilesystemObjectStorage files = new FilesystemObjectStorage(vertx, config.filesystem().root(), health);
                files.createRoot();
                yield files;
            }
        };
    }
}
