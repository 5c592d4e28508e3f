package dev.awal.contacts.storage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import org.jboss.logging.Logger;
import org.reactivestreams.FlowAdapters;

import io.netty.buffer.Unpooled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.async.ResponsePublisher;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects in an S3 bucket through the SDK's async (Netty) client: uploads stream from the file,
 * downloads stream to the caller, and no call blocks a thread.
 */
final class S3ObjectStorage implements ObjectStorage {

    private static final Logger LOG = Logger.getLogger(S3ObjectStorage.class);

    /** Where readiness probes write; outside every prefix the service stores or sweeps. */
    private static final String PROBE_PREFIX = ".probe/";

    private final S3AsyncClient s3;
    private final String bucket;
    private final StorageHealth health;

    S3ObjectStorage(S3AsyncClient s3, String bucket, StorageHealth health) {
        this.s3 = s3;
        this.bucket = bucket;
        this.health = health;
    }

    @Override
    public Uni<Void> put(String key, Path file, String contentType) {
        return call("put " + key, false, () -> s3.putObject(request -> request.bucket(bucket).key(key).contentType(contentType),
                AsyncRequestBody.fromFile(file)))
                .replaceWithVoid();
    }

    @Override
    public Uni<ObjectInfo> stat(String key) {
        return call("stat " + key, true, () -> s3.headObject(request -> request.bucket(bucket).key(key)))
                .map(head -> new ObjectInfo(head.contentType(), head.contentLength()))
                .onFailure(S3ObjectStorage::isNotFound).recoverWithNull();
    }

    @Override
    public Uni<StoredObject> read(String key) {
        return call("read " + key, true, () -> s3.getObject(request -> request.bucket(bucket).key(key),
                AsyncResponseTransformer.<GetObjectResponse>toPublisher()))
                .map(S3ObjectStorage::stored)
                .onFailure(S3ObjectStorage::isNotFound).recoverWithNull();
    }

    private static StoredObject stored(ResponsePublisher<GetObjectResponse> publisher) {
        GetObjectResponse response = publisher.response();
        Multi<Buffer> body = onCallerContext(Multi.createFrom()
                .publisher(FlowAdapters.toFlowPublisher(publisher))
                // The SDK hands over a fresh buffer per chunk, so wrapping it copies nothing.
                .map((ByteBuffer chunk) -> Buffer.buffer(Unpooled.wrappedBuffer(chunk))));
        return new StoredObject(new ObjectInfo(response.contentType(), response.contentLength()), body);
    }

    @Override
    public Uni<Void> delete(String key) {
        return call("delete " + key, false, () -> s3.deleteObject(request -> request.bucket(bucket).key(key))).replaceWithVoid();
    }

    @Override
    public Multi<ListedObject> list(String prefix) {
        Multi<ListedObject> objects = Multi.createFrom()
                .publisher(FlowAdapters.toFlowPublisher(
                        s3.listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix)).contents()))
                .map(object -> new ListedObject(object.key(), object.lastModified()))
                .onFailure().transform(e -> unavailable("list " + prefix, e));
        return onCallerContext(objects);
    }

    /** What an upload needs: a small object written, then removed (a HEAD of the bucket proves no write access). */
    @Override
    public Uni<Void> probe() {
        String key = PROBE_PREFIX + UUID.randomUUID();
        return call("probe", false, () -> s3.putObject(request -> request.bucket(bucket).key(key),
                AsyncRequestBody.fromString("probe")))
                .chain(() -> call("probe", false, () -> s3.deleteObject(request -> request.bucket(bucket).key(key))))
                .replaceWithVoid();
    }

    /**
     * The SDK completes on its own threads; results are handed back on the caller's Vert.x context, where
     * the request (and a Hibernate Reactive session) continues. Every failure is the store being unavailable (503),
     * but a 404 where {@code notFoundAnswers} (a read or stat of a key: the caller turns it into "no such object").
     * A write's 404 is the bucket missing: unavailable too, never a 500.
     */
    private <T> Uni<T> call(String operation, boolean notFoundAnswers, Supplier<CompletableFuture<T>> request) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            Uni<T> result = Uni.createFrom().completionStage(request)
                    .onFailure(e -> !(notFoundAnswers && isNotFound(e))).transform(e -> unavailable(operation, e));
            return context == null ? result : result.emitOn(command -> context.runOnContext(ignored -> command.run()));
        });
    }

    private static <T> Multi<T> onCallerContext(Multi<T> items) {
        return Multi.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            return context == null ? items : items.emitOn(command -> context.runOnContext(ignored -> command.run()));
        });
    }

    private static boolean isNotFound(Throwable failure) {
        return unwrap(failure) instanceof S3Exception s3 && s3.statusCode() == 404
                && !(s3 instanceof software.amazon.awssdk.services.s3.model.NoSuchBucketException);
    }

    private StorageUnavailableException unavailable(String operation, Throwable failure) {
        health.failed();
        LOG.warnf("Object storage failed to %s: %s", operation, unwrap(failure).toString());
        return new StorageUnavailableException();
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
