package dev.awal.contacts.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.awal.contacts.security.BodyLimits;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;

@ApplicationScoped
class RemoteImageFetcherProducer {

    /** At start-up, because creating the download folder blocks. */
    @Produces
    @Singleton
    @Startup
    RemoteImageFetcher remoteImageFetcher(Vertx vertx, AvatarFetchConfig config, BodyLimits limits) {
        try {
            Files.createDirectories(limits.uploadDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the upload folder " + limits.uploadDirectory(), e);
        }
        return new RemoteImageFetcher(vertx, new FetchSettings(config.allowPrivateAddresses(),
                config.connectTimeout(), config.totalTimeout(), limits.maxAvatarBytes(), config.maxRedirects(),
                limits.uploadDirectory()));
    }
}
