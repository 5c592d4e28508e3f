package dev.awal.contacts.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.DatabaseErrors;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.observability.DomainMetrics;
import dev.awal.contacts.security.BodyLimits;
import dev.awal.contacts.storage.ObjectKeys;
import dev.awal.contacts.storage.ObjectStorage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * The way into object storage for client files: identify the type by its bytes, refuse anything broken
 * or oversized in pixels, strip metadata into a second file, then store that under a fresh key. The
 * checks read files on worker threads; the caller writes its row only after the object exists.
 */
@ApplicationScoped
public class MediaUploads {

    /** Decompression-bomb guard, checked from the header (README "Avatars and branch files"). */
    static final long MAX_PIXELS = 40_000_000L;

    private static final Logger LOG = Logger.getLogger(MediaUploads.class);

    /** What an upload is for decides where it goes and which types it may be. */
    public enum Purpose {
        AVATAR(ObjectKeys.AVATARS, Set.of(MediaType.JPEG, MediaType.PNG)),
        BRANCH_FILE(ObjectKeys.BRANCH_FILES, Set.of(MediaType.JPEG, MediaType.PNG, MediaType.PDF));

        private final String folder;
        private final Set<MediaType> types;

        Purpose(String folder, Set<MediaType> types) {
            this.folder = folder;
            this.types = types;
        }
    }

    private final ObjectStorage storage;
    private final RemoteImageFetcher fetcher;
    private final Vertx vertx;
    private final Path scratch;
    private final DomainMetrics metrics;

    MediaUploads(ObjectStorage storage, RemoteImageFetcher fetcher, Vertx vertx, BodyLimits limits,
            DomainMetrics metrics) {
        this.storage = storage;
        this.fetcher = fetcher;
        this.vertx = vertx;
        this.scratch = limits.uploadDirectory();
        this.metrics = metrics;
    }

    /**
     * Stores a new avatar or file and answers its key, or null when there is none. A file that fails the
     * checks is a 422 naming the source's field; an unreachable store a 503.
     */
    public Uni<String> store(Purpose purpose, MediaSource source) {
        if (source == null) {
            return Uni.createFrom().nullItem();
        }
        if (source instanceof MediaSource.Remote remote) {
            return fetch(remote).flatMap(downloaded -> store(purpose, downloaded, remote.field())
                    .eventually(() -> deleteScratch(downloaded)));
        }
        MediaSource.Received received = (MediaSource.Received) source;
        return store(purpose, received.file(), received.field());
    }

    private Uni<String> store(Purpose purpose, Path file, String field) {
        return vertx.executeBlocking(() -> prepare(purpose, file), false)
                .onFailure(InvalidMediaException.class).transform(e -> invalid(field, e.getMessage()))
                // The scratch folder could not take the stripped copy (disk full, folder gone): as when the upload
                // itself could not be written, a 503 to retry later, not a 500.
                .onFailure(IOException.class).transform(e -> {
                    LOG.warnf("Could not prepare an upload in %s: %s", scratch, e.toString());
                    return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The upload cannot be stored right now; retry shortly");
                })
                .flatMap(prepared -> {
                    String key = ObjectKeys.newKey(purpose.folder, prepared.type().extension());
                    return storage.put(key, prepared.file(), prepared.type().contentType())
                            .invoke(() -> {
                                if (purpose == Purpose.AVATAR) {
                                    metrics.avatarBytesStored(prepared.size());
                                }
                            })
                            .replaceWith(key)
                            .eventually(() -> deleteScratch(prepared.file()));
                });
    }

    /** Downloads a client's URL (SSRF-guarded) to a scratch file. */
    private Uni<Path> fetch(MediaSource.Remote remote) {
        return Uni.createFrom().completionStage(() -> fetcher.fetchToTempFile(remote.url()).toCompletionStage())
                .onFailure(RemoteFetchException.class)
                .transform(e -> invalid(remote.field(), "could not fetch the image: " + e.getMessage()));
    }

    /**
     * Removes an object no row references any more. Best effort: the row is already committed, so a
     * failure is logged and left to the sweeper rather than failing the request.
     */
    public Uni<Void> discard(String key) {
        if (key == null) {
            return Uni.createFrom().voidItem();
        }
        return storage.delete(key)
                .onFailure().invoke(e -> LOG.warnf("Could not delete object %s; the sweeper will: %s", key, e.toString()))
                .onFailure().recoverWithNull();
    }

    /**
     * Removes the object a failed write stored, unless the write may have committed (the connection was lost, perhaps
     * during COMMIT): then a row may point at it, and the orphan sweeper, which deletes only objects no row references,
     * decides later.
     */
    public Uni<Void> discardAfter(Throwable failure, String key) {
        if (DatabaseErrors.mayHaveCommitted(failure)) {
            LOG.debugf("Keeping object %s: the failed write may have committed (%s)", key, failure.toString());
            return Uni.createFrom().voidItem();
        }
        return discard(key);
    }

    private record Prepared(MediaType type, Path file, long size) {
    }

    private Prepared prepare(Purpose purpose, Path upload) throws IOException {
        MediaInfo info = MediaInspector.inspect(upload, purpose.types, MAX_PIXELS);
        Path stripped = Files.createTempFile(scratch, "stripped-", ".tmp");
        try {
            MetadataStripper.strip(info.type(), upload, stripped);
            return new Prepared(info.type(), stripped, Files.size(stripped));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stripped);
            throw e;
        }
    }

    private Uni<Void> deleteScratch(Path file) {
        return vertx.fileSystem().delete(file.toString())
                .onFailure().invoke(e -> LOG.debugf("Scratch file %s was already gone: %s", file, e.toString()))
                .onFailure().recoverWithNull();
    }

    private static ApiException invalid(String field, String reason) {
        return ApiException.invalid(Map.of(field, reason));
    }
}
