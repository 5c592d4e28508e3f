package dev.awal.contacts.storage;

import java.nio.file.Path;
import java.time.Instant;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Object storage for avatars and branch files. Every method is non-blocking; failures to reach the
 * store surface as {@link StorageUnavailableException}.
 */
public interface ObjectStorage {

    /** Stores the local file under {@code key}, streaming it from disk. */
    Uni<Void> put(String key, Path file, String contentType);

    /** The object's metadata, or null when there is no such object. */
    Uni<ObjectInfo> stat(String key);

    /**
     * The object with a body to be streamed, or null when there is no such object. The body must be
     * subscribed to exactly once (cancelling releases the underlying file or connection).
     */
    Uni<StoredObject> read(String key);

    /** Removes the object; removing one that does not exist succeeds. */
    Uni<Void> delete(String key);

    /** Every object whose key starts with {@code prefix}, for the sweeper. */
    Multi<ListedObject> list(String prefix);

    /** Succeeds when the store can be reached (readiness). */
    Uni<Void> probe();

    record ObjectInfo(String contentType, long size) {
    }

    record StoredObject(ObjectInfo info, Multi<Buffer> body) {
    }

    record ListedObject(String key, Instant lastModified) {
    }
}
