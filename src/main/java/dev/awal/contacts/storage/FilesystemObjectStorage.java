package dev.awal.contacts.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.OpenOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.file.FileSystem;

/**
 * Objects as files under a root directory, each key a relative path. Writes land in a scratch folder
 * first and are renamed into place, so a reader never sees half an object. Every file operation runs
 * through Vert.x's asynchronous file system (on worker threads), never on the event loop.
 */
final class FilesystemObjectStorage implements ObjectStorage {

    private static final Logger LOG = Logger.getLogger(FilesystemObjectStorage.class);
    private static final String INCOMING = ".incoming";
    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private final FileSystem fs;
    private final Path root;
    private final StorageHealth health;

    FilesystemObjectStorage(Vertx vertx, Path root, StorageHealth health) {
        this.fs = vertx.fileSystem();
        this.root = root.toAbsolutePath().normalize();
        this.health = health;
    }

    /** Creates the root at start-up, so readiness is UP before the first upload. */
    void createRoot() {
        try {
            Files.createDirectories(root.resolve(INCOMING));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the storage root " + root, e);
        }
    }

    @Override
    public Uni<Void> put(String key, Path file, String contentType) {
        Path target = pathOf(key);
        String incoming = root.resolve(INCOMING).resolve(UUID.randomUUID() + ".part").toString();
        return fs.mkdirs(target.getParent().toString())
                .chain(() -> fs.mkdirs(root.resolve(INCOMING).toString()))
                .chain(() -> fs.copy(file.toString(), incoming))
                .chain(() -> fs.move(incoming, target.toString(), new CopyOptions().setAtomicMove(true)))
                .onFailure().call(() -> fs.delete(incoming).onFailure().recoverWithNull())
                .onFailure().transform(e -> unavailable("put " + key, e));
    }

    @Override
    public Uni<ObjectInfo> stat(String key) {
        return fs.props(pathOf(key).toString())
                .map(props -> new ObjectInfo(ObjectKeys.contentType(key), props.size()))
                .onFailure(FilesystemObjectStorage::isNotFound).recoverWithNull()
                .onFailure(e -> !(e instanceof StorageUnavailableException)).transform(e -> unavailable("stat " + key, e));
    }

    @Override
    public Uni<StoredObject> read(String key) {
        return fs.open(pathOf(key).toString(), new OpenOptions().setRead(true).setWrite(false).setCreate(false))
                .chain(file -> file.size().map(size -> {
                    file.setReadBufferSize(READ_BUFFER_SIZE);
                    Multi<io.vertx.core.buffer.Buffer> body = file.toMulti()
                            .map(Buffer::getDelegate)
                            .onTermination().call((failure, cancelled) -> file.close());
                    return new StoredObject(new ObjectInfo(ObjectKeys.contentType(key), size), body);
                }))
                .onFailure(FilesystemObjectStorage::isNotFound).recoverWithNull()
                .onFailure(e -> !(e instanceof StorageUnavailableException)).transform(e -> unavailable("read " + key, e));
    }

    @Override
    public Uni<Void> delete(String key) {
        return fs.delete(pathOf(key).toString())
                .onFailure(FilesystemObjectStorage::isNotFound).recoverWithNull()
                .onFailure().transform(e -> unavailable("delete " + key, e));
    }

    @Override
    public Multi<ListedObject> list(String prefix) {
        Path folder = root.resolve(prefix);
        Multi<ListedObject> objects = Multi.createFrom()
                .resource(() -> entries(folder),
                        paths -> Multi.createFrom().iterable(() -> paths.filter(Files::isRegularFile)
                                .map(path -> listed(prefix, path)).iterator()))
                .withFinalizer((Stream<Path> paths) -> paths.close())
                // Directory reads block: they run on a worker thread, results return to the caller's context.
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return Multi.createFrom().deferred(() -> {
            Context context = io.vertx.core.Vertx.currentContext();
            return context == null ? objects : objects.emitOn(command -> context.runOnContext(ignored -> command.run()));
        }).onFailure().transform(e -> unavailable("list " + prefix, e));
    }

    private static Stream<Path> entries(Path folder) {
        try {
            return Files.isDirectory(folder) ? Files.list(folder) : Stream.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ListedObject listed(String prefix, Path path) {
        try {
            return new ListedObject(prefix + "/" + path.getFileName(), Files.getLastModifiedTime(path).toInstant());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a put needs: a file created in the scratch folder under the root, then removed. */
    @Override
    public Uni<Void> probe() {
        String incoming = root.resolve(INCOMING).toString();
        String probe = root.resolve(INCOMING).resolve("probe-" + UUID.randomUUID()).toString();
        return fs.mkdirs(incoming)
                .chain(() -> fs.writeFile(probe, Buffer.buffer("probe")))
                .chain(() -> fs.delete(probe))
                .onFailure().call(() -> fs.delete(probe).onFailure().recoverWithNull())
                .onFailure().transform(e -> unavailable("probe", e));
    }

    /** Keys are checked against their strict shape before they become paths, so none can leave the root. */
    private Path pathOf(String key) {
        if (!ObjectKeys.isValid(key)) {
            throw new IllegalArgumentException("not an object key: " + key);
        }
        return root.resolve(key);
    }

    private static boolean isNotFound(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException) {
                return true;
            }
        }
        return false;
    }

    private Throwable unavailable(String operation, Throwable failure) {
        health.failed();
        if (failure instanceof StorageUnavailableException) {
            return failure;
        }
        LOG.warnf("File storage failed to %s: %s", operation, failure.toString());
        return new StorageUnavailableException();
    }
}
