package dev.awal.contacts.api;

import java.nio.file.Path;
import java.util.UUID;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;

/**
 * A temporary file that a stream is written into without blocking and without buffering: the body
 * reader's uploads and the remote image fetcher's downloads. The writer pauses its source while the
 * disk is behind; the owner closes the file (once) and deletes it when it is no longer needed.
 */
public final class TempFile {

    private final Vertx vertx;
    private final Path path;
    private final AsyncFile file;
    private boolean closed;
    private Handler<Throwable> failureHandler = e -> { };

    private TempFile(Vertx vertx, Path path, AsyncFile file) {
        this.vertx = vertx;
        this.path = path;
        this.file = file;
    }

    /** The path a new file in {@code directory} will get; known before it exists, so it can be cleaned up. */
    public static Path newPath(Path directory, String prefix) {
        return directory.resolve(prefix + UUID.randomUUID());
    }

    /** Creates the directory if needed, then the file at {@code path} (never an existing one). */
    public static Future<TempFile> create(Vertx vertx, Path path) {
        return vertx.fileSystem().mkdirs(path.getParent().toString())
                .compose(v -> vertx.fileSystem().open(path.toString(), new OpenOptions().setCreateNew(true)))
                .map(file -> new TempFile(vertx, path, file));
    }

    public Path path() {
        return path;
    }

    /** Called when a write fails (disk full, folder gone): the owner must end its work then, not wait. */
    public TempFile onFailure(Handler<Throwable> handler) {
        failureHandler = handler;
        file.exceptionHandler(handler);
        return this;
    }

    /** Writes a chunk; while the write queue is full, {@code source} is paused (backpressure). */
    public void write(Buffer chunk, ReadStream<?> source) {
        file.write(chunk).onFailure(e -> failureHandler.handle(e));
        if (file.writeQueueFull()) {
            source.pause();
            file.drainHandler(v -> source.resume());
        }
    }

    /** Closes the file once (a second close would throw); a failed close only matters to a delete that follows. */
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        return file.close();
    }

    /** Closes and deletes the file; never fails. */
    public Future<Void> discard() {
        return close().otherwiseEmpty().transform(v -> vertx.fileSystem().delete(path.toString())).otherwiseEmpty();
    }
}
