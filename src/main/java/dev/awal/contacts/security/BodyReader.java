package dev.awal.contacts.security;

import static dev.awal.contacts.api.Headers.API_PREFIX;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;
import dev.awal.contacts.api.RouteOrder;
import dev.awal.contacts.api.TempFile;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads the body of every {@code /api/developer} request, once, as it streams in, like Vert.x Web's
 * BodyHandler but bounded everywhere: JSON into a bounded in-memory buffer, urlencoded and multipart
 * fields through the form decoder, file parts and raw files ({@link UploadRoute}) into temporary files
 * that are deleted when the request ends. Every chunk is also shown to the observer the signature check
 * registered ({@link #observe}), because the signature covers the raw body. The result is attached as
 * {@link ReceivedBody}; a body that is too large or malformed is refused with 413 or 400.
 */
@ApplicationScoped
public class BodyReader {

    private static final Logger LOG = Logger.getLogger(BodyReader.class);
    private static final String OBSERVER = "contacts.body-observer";

    private final BodyLimits limits;
    private final Refusals refusals;
    private final Vertx vertx;
    private final long maxFormFieldBytes;
    /** Body bytes the requests under way hold in memory, counted as in {@link BodyLimits#maxBufferedBodyBytes}. */
    private final AtomicLong buffered = new AtomicLong();

    BodyReader(BodyLimits limits, Refusals refusals, Vertx vertx,
            @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size") MemorySize maxFormFieldSize) {
        this.limits = limits;
        this.refusals = refusals;
        this.vertx = vertx;
        this.maxFormFieldBytes = maxFormFieldSize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route(API_PREFIX + "/*").order(RouteOrder.BODY).handler(this::handle);
    }

    /** Shows every chunk of this request's body to {@code observer} as it is read. */
    static void observe(RoutingContext rc, Consumer<ByteBuffer> observer) {
        rc.put(OBSERVER, observer);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        request.pause();
        Read body = new Read(rc);
        if (FormBodies.declaredLength(request) > body.maxBytes) {
            // Refused before a byte is read: a client waiting on 100-continue never sends the body at all.
            refusals.reject(rc, tooLarge(body.tooLargeMessage));
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // Headers are acceptable: only now let the client send a (possibly large) body.
            rc.response().writeContinue();
        }
        body.start();
    }

    /** Reads one request body into its bounded destination. */
    private final class Read {
        private final RoutingContext rc;
        private final HttpServerRequest request;
        private final Consumer<ByteBuffer> observer;
        private final String contentType;
        private final boolean form;
        private final boolean rawUpload;
        private final long maxBytes;
        private final long maxFileBytes;
        private final String tooLargeMessage;
        private final Buffer raw = Buffer.buffer();
        private final List<UploadedFile> files = new ArrayList<>();
        private final List<TempFile> temps = new ArrayList<>();
        private TempFile rawFile;
        /** Set for a multipart body, whose end alone does not show that it is complete. */
        private ClosingBoundary closing;
        private int pendingUploads;
        private boolean ended;
        private boolean requestOver;
        private long received;
        /** This body's share of {@link #buffered}. */
        private long accounted;
        private ApiException failure;

        Read(RoutingContext rc) {
            this.rc = rc;
            this.request = rc.request();
            Consumer<ByteBuffer> registered = rc.get(OBSERVER);
            this.observer = registered == null ? chunk -> { } : registered;
            this.contentType = FormBodies.contentType(request);
            this.form = contentType.equals("multipart/form-data")
                    || contentType.equals("application/x-www-form-urlencoded");
            // Only a POST or PUT can be a raw file, and only a multipart body has file parts: other
            // requests (nearly all of them GETs) need no route lookup.
            boolean mayCarryFiles = contentType.equals("multipart/form-data") || request.method() == HttpMethod.POST
                    || request.method() == HttpMethod.PUT;
            // The path the router matches (escapes of plain characters decoded, '//' and '/./' collapsed), not the raw
            // one: a raw avatar PUT to /contacts/5/%61vatar was read as a JSON body by an avatar route.
            UploadRoute route = mayCarryFiles ? UploadRoute.of(rc.normalizedPath()) : null;
            this.rawUpload = route != null && route.isRawFile(request.method().name(), contentType);
            this.maxFileBytes = route != null ? route.maxFileBytes(limits) : 0;
            if (rawUpload) {
                this.maxBytes = maxFileBytes;
                this.tooLargeMessage = route.rawFileName() + " is larger than " + maxBytes + " bytes";
            } else {
                this.maxBytes = contentType.equals("multipart/form-data") ? maxFileBytes + limits.maxBodyBytes()
                        : limits.maxBodyBytes();
                this.tooLargeMessage = "The request body is larger than " + maxBytes + " bytes";
            }
        }

        void start() {
            rc.addEndHandler(v -> {
                deleteTempFiles();
                buffered.addAndGet(-accounted);
                accounted = 0;
            });
            if (form) {
                try {
                    FormBodies.expectForm(request, contentType);
                } catch (ApiException e) {
                    fail(e);
                    return;
                }
                request.uploadHandler(this::receiveFile);
                if (contentType.equals("multipart/form-data")) {
                    closing = new ClosingBoundary(FormBodies.boundary(request.getHeader("Content-Type")));
                }
            }
            request.handler(this::receive);
            request.exceptionHandler(e -> fail(FormBodies.unreadable(e, contentType, maxFormFieldBytes)));
            request.endHandler(v -> {
                ended = true;
                if (rawFile != null) {
                    closeRawUpload();
                } else if (closing != null && !closing.seen()) {
                    // Cut off: a file part the body stops inside would never end, so the request would wait for it.
                    fail(new ApiException(ErrorCode.BAD_REQUEST,
                            "The multipart body is truncated: it ends before its closing boundary line (--boundary--)"));
                } else {
                    finishWhenDone();
                }
            });
            if (rawUpload) {
                openRawUpload();
            } else {
                request.resume();
            }
        }

        /** The body is read only once its file is open. */
        private void openRawUpload() {
            pendingUploads++;
            createTempFile().onSuccess(file -> {
                rawFile = file.onFailure(e -> fail(uploadUnavailable()));
                request.resume();
            });
        }

        private void closeRawUpload() {
            long size = received;
            rawFile.close().onComplete(closed -> {
                files.add(new UploadedFile("file", null, rawFile.path(), size));
                pendingUploads--;
                finishWhenDone();
            });
        }

        private void receive(Buffer chunk) {
            if (failure != null) {
                return;
            }
            received += chunk.length();
            if (received > maxBytes) {
                fail(tooLarge(tooLargeMessage));
                return;
            }
            if (!rawUpload && !holdInMemory(Math.min(received, limits.maxBodyBytes()))) {
                fail(new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The service is receiving too many request bodies at once; retry shortly"));
                return;
            }
            ByteBuffer bytes = chunk.getByteBuf().nioBuffer();
            observer.accept(bytes);
            if (closing != null) {
                closing.update(bytes);
            }
            if (rawUpload) {
                rawFile.write(chunk, request);
            } else if (!form) {
                raw.appendBuffer(chunk);
            }
        }

        /**
         * Counts this body's bytes up to {@code counted} against the replica's budget; false (nothing counted) when
         * they do not fit. A multipart body counts too, up to max-body-bytes, as its fields are held in memory.
         */
        private boolean holdInMemory(long counted) {
            long more = counted - accounted;
            if (more <= 0) {
                return true;
            }
            if (buffered.addAndGet(more) > limits.maxBufferedBodyBytes()) {
                buffered.addAndGet(-more);
                return false;
            }
            accounted = counted;
            return true;
        }

        private void receiveFile(HttpServerFileUpload upload) {
            if (failure != null) {
                return;
            }
            upload.pause();
            pendingUploads++;
            createTempFile().onSuccess(file -> streamUpload(upload, file));
        }

        private void streamUpload(HttpServerFileUpload upload, TempFile file) {
            long[] size = { 0 };
            // A write that fails (disk full, folder gone) must end the request, not leave it waiting.
            file.onFailure(e -> fail(uploadUnavailable()));
            upload.handler(chunk -> {
                size[0] += chunk.length();
                if (size[0] > maxFileBytes) {
                    fail(tooLarge("The file '" + upload.name() + "' is larger than " + maxFileBytes + " bytes"));
                    return;
                }
                file.write(chunk, upload);
            });
            upload.endHandler(v -> file.close().onComplete(closed -> {
                files.add(new UploadedFile(upload.name(), upload.filename(), file.path(), size[0]));
                pendingUploads--;
                finishWhenDone();
            }));
            upload.exceptionHandler(e -> file.close());
            upload.resume();
        }

        private void finishWhenDone() {
            if (failure != null || !ended || pendingUploads > 0) {
                return;
            }
            new ReceivedBody(contentType, form ? null : raw, form ? request.formAttributes() : null,
                    List.copyOf(files)).attachTo(rc);
            rc.next();
        }

        private void fail(ApiException e) {
            // A client that hangs up while a streamed answer is under way ends up here too: the answer has
            // started, so there is nothing left to refuse.
            if (failure != null || rc.response().headWritten()) {
                return;
            }
            failure = e;
            request.pause();
            refusals.reject(rc, e);
        }

        /** A new temporary file, remembered so that it is closed and deleted when the request is over. */
        private Future<TempFile> createTempFile() {
            return TempFile.create(vertx, TempFile.newPath(limits.uploadDirectory(), "upload-"))
                    .compose(file -> {
                        if (requestOver) {
                            // Opened after the answer went out: nobody will write to or delete it otherwise.
                            return file.discard().transform(deleted -> Future.failedFuture("request already over"));
                        }
                        temps.add(file);
                        return Future.succeededFuture(file);
                    })
                    .onFailure(e -> {
                        if (!requestOver) {
                            LOG.error("Could not open a temporary upload file", e);
                            fail(uploadUnavailable());
                        }
                    });
        }

        private void deleteTempFiles() {
            requestOver = true;
            // A file still open after a 413 is closed first, so no descriptor outlives the request.
            temps.forEach(TempFile::discard);
        }
    }

    /** The local upload folder cannot take the file: like the store being down, a 503 to retry later. */
    private static ApiException uploadUnavailable() {
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The upload cannot be stored right now; retry shortly");
    }

    static ApiException tooLarge(String message) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, message);
    }
}
