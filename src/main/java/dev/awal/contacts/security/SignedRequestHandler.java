package dev.awal.contacts.security;

import static dev.awal.contacts.api.Headers.API_PREFIX;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ErrorResponder;
import dev.awal.contacts.api.Headers;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;
import dev.awal.contacts.api.RouteOrder;
import dev.awal.contacts.observability.DomainMetrics;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates every {@code /api/developer} request (contract §6) before it is routed.
 * <p>
 * The signature covers the raw body, so the body is read here, once, as it streams in: every
 * chunk goes through the HMAC and then into a bounded in-memory buffer (JSON), the form decoder
 * (urlencoded, multipart) or a temporary file (file parts, and the raw image of
 * {@code PUT /contacts/{id}/avatar}). Nothing is buffered without a limit, and the request is only
 * handed on once the signature, the workspace and the replay check pass.
 */
@ApplicationScoped
public class SignedRequestHandler {

    public static final String CLIENT_KEY = "contacts.client-id";

    private static final Logger LOG = Logger.getLogger(SignedRequestHandler.class);
    private static final Pattern SIGNATURE_FORMAT = Pattern.compile("sha256=[0-9a-fA-F]{64}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,12}");
    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);
    /** After an early answer, how much more of a body is read (and dropped) before the connection is cut. */
    private static final long MAX_DISCARD_BYTES = 16L * 1024 * 1024;
    private static final long MAX_DISCARD_MILLIS = 10_000;

    private final AuthConfig config;
    private final BodyLimits limits;
    private final ReplayGuard replayGuard;
    private final ErrorResponder errors;
    private final Vertx vertx;
    private final DomainMetrics metrics;
    private final long maxFormFieldBytes;

    SignedRequestHandler(AuthConfig config, BodyLimits limits, ReplayGuard replayGuard, ErrorResponder errors,
            Vertx vertx, DomainMetrics metrics,
            @ConfigProperty(name = "quarkus.http.limits.max-form-attribute-size") MemorySize maxFormFieldSize) {
        this.config = config;
        this.limits = limits;
        this.replayGuard = replayGuard;
        this.errors = errors;
        this.vertx = vertx;
        this.metrics = metrics;
        this.maxFormFieldBytes = maxFormFieldSize.asLongValue();
    }

    void register(@Observes Router router) {
        router.route(API_PREFIX + "/*").order(RouteOrder.AUTHENTICATION).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        request.pause();
        SignedHeaders headers;
        try {
            headers = checkHeaders(request);
        } catch (ApiException e) {
            reject(rc, e);
            return;
        }
        BodyReader body = new BodyReader(rc, headers);
        if (declaredLength(request) > body.maxBytes) {
            // Refused before a byte is read: a client waiting on 100-continue never sends the body at all.
            reject(rc, tooLarge(body.tooLargeMessage));
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // Headers are acceptable: only now let the client send a (possibly large) body.
            rc.response().writeContinue();
        }
        body.start();
    }

    private SignedHeaders checkHeaders(HttpServerRequest request) {
        Map<String, Object> missing = new LinkedHashMap<>();
        for (String name : List.of(Headers.SIGNATURE, Headers.TIMESTAMP, Headers.DOMAIN, Headers.CLIENT_ID)) {
            String value = request.getHeader(name);
            if (value == null || value.isBlank()) {
                missing.put(name, "header is required");
            }
        }
        if (!missing.isEmpty()) {
            throw new ApiException(ErrorCode.MISSING_HEADERS, "Missing authentication headers: "
                    + String.join(", ", missing.keySet()), missing);
        }
        String clientId = request.getHeader(Headers.CLIENT_ID).trim();
        AuthConfig.Client client = config.clients().get(clientId);
        if (client == null) {
            throw failed("Unknown client");
        }
        String timestampHeader = request.getHeader(Headers.TIMESTAMP).trim();
        if (!DIGITS.matcher(timestampHeader).matches()) {
            throw failed("X-Timestamp must be unix seconds");
        }
        long timestamp = Long.parseLong(timestampHeader);
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > config.timestampWindow().toSeconds()) {
            throw failed("Request timestamp is outside the allowed window of "
                    + config.timestampWindow().toSeconds() + " seconds; check the client's clock");
        }
        String signature = request.getHeader(Headers.SIGNATURE).trim();
        if (!SIGNATURE_FORMAT.matcher(signature).matches()) {
            throw failed("X-Awal-Signature-256 must be sha256=<64 hex digits>");
        }
        byte[] expected = HexFormat.of().parseHex(signature.substring("sha256=".length()));
        return new SignedHeaders(clientId, client, timestampHeader, timestamp, request.getHeader(Headers.DOMAIN).trim(),
                expected);
    }

    private static ApiException failed(String why) {
        return new ApiException(ErrorCode.AUTHENTICATION_FAILED, why);
    }

    /** Answers at once; when a body may still be arriving, the connection is closed rather than reused. */
    private void reject(RoutingContext rc, ApiException failure) {
        metrics.authFailure(failure);
        HttpServerRequest request = rc.request();
        if (!request.isEnded()) {
            rc.response().putHeader("Connection", "close");
            discardRestThenClose(rc);
        }
        errors.send(rc, failure);
    }

    /**
     * Many clients read the answer only after sending their whole body, and a connection closed under
     * them hides the answer behind a reset. So what still arrives is dropped as it comes (never buffered
     * or stored), up to a bound in bytes and time, and the connection is closed once both sides are done.
     */
    private void discardRestThenClose(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        boolean[] answered = { false };
        boolean[] bodyDone = { false };
        long[] discarded = { 0 };
        long deadline = vertx.setTimer(MAX_DISCARD_MILLIS, t -> request.connection().close());
        Runnable closeWhenDone = () -> {
            if (answered[0] && bodyDone[0]) {
                vertx.cancelTimer(deadline);
                request.connection().close();
            }
        };
        // addEndHandler, not response().endHandler(): that would replace the handlers that delete temp files.
        rc.addEndHandler(v -> {
            answered[0] = true;
            closeWhenDone.run();
        });
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > MAX_DISCARD_BYTES && !bodyDone[0]) {
                bodyDone[0] = true;
                closeWhenDone.run();
            }
        });
        request.endHandler(v -> {
            bodyDone[0] = true;
            closeWhenDone.run();
        });
        request.exceptionHandler(e -> request.connection().close());
        request.resume();
    }

    private record SignedHeaders(String clientId, AuthConfig.Client client, String timestampHeader, long timestamp,
            String workspace, byte[] signature) {
    }

    /** Reads one request body through the HMACs into its bounded destination. */
    private final class BodyReader {
        private final RoutingContext rc;
        private final HttpServerRequest request;
        private final SignedHeaders headers;
        private final List<Mac> macs;
        private final boolean form;
        private final boolean rawUpload;
        private final long maxBytes;
        private final long maxFileBytes;
        private final String tooLargeMessage;
        private final Buffer raw = Buffer.buffer();
        private final List<UploadedFile> files = new ArrayList<>();
        private final List<Path> tempFiles = new ArrayList<>();
        private final List<AsyncFile> openFiles = new ArrayList<>();
        private AsyncFile rawFile;
        private Path rawPath;
        private int pendingUploads;
        private boolean ended;
        private boolean requestOver;
        private long received;
        private ApiException failure;

        BodyReader(RoutingContext rc, SignedHeaders headers) {
            this.rc = rc;
            this.request = rc.request();
            this.headers = headers;
            this.macs = headers.client().secrets().stream().map(SignedRequestHandler::hmac).toList();
            String contentType = contentType(request);
            this.form = contentType.equals("multipart/form-data")
                    || contentType.equals("application/x-www-form-urlencoded");
            UploadRoute route = UploadRoute.of(request.path());
            this.rawUpload = route.isRawFile(request.method().name(), contentType);
            this.maxFileBytes = route.maxFileBytes(limits);
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
            String query = request.query();
            String signed = request.method().name() + request.path().substring(API_PREFIX.length())
                    + (query == null ? "" : "?" + query) + headers.timestampHeader();
            byte[] prefix = signed.getBytes(StandardCharsets.UTF_8);
            macs.forEach(mac -> mac.update(prefix));
            rc.addEndHandler(v -> deleteTempFiles());
            if (form) {
                try {
                    expectForm();
                } catch (ApiException e) {
                    fail(e);
                    return;
                }
                request.uploadHandler(this::receiveFile);
            }
            request.handler(this::receive);
            request.exceptionHandler(e -> fail(unreadable(e)));
            request.endHandler(v -> {
                ended = true;
                if (rawFile != null) {
                    closeRawUpload();
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

        /**
         * Hands the body to Vert.x's form decoder. A multipart type without a usable boundary is refused here:
         * the decoder would read it as urlencoded (no boundary) or fail inside its constructor (empty one).
         */
        private void expectForm() {
            if (contentType(request).equals("multipart/form-data") && boundary(request.getHeader("Content-Type")) == null) {
                throw new ApiException(ErrorCode.BAD_REQUEST,
                        "multipart/form-data needs a boundary parameter in Content-Type, e.g. boundary=x7d1f");
            }
            try {
                request.setExpectMultipart(true);
            } catch (RuntimeException e) {
                LOG.debugf("Form decoder refused the request: %s", e);
                throw new ApiException(ErrorCode.BAD_REQUEST, "The Content-Type of the form body is malformed");
            }
        }

        /**
         * A body the decoders could not read, in our words: the decoders' own messages name Java classes and
         * internals, so they go to the debug log only.
         */
        private ApiException unreadable(Throwable e) {
            LOG.debugf("Request body refused by the decoder: %s", e);
            if (e instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
                return tooLarge("The form has too many fields");
            }
            if (e instanceof HttpPostRequestDecoder.TooLongFormFieldException) {
                return tooLarge("A form field is too long");
            }
            if (e instanceof HttpPostRequestDecoder.ErrorDataDecoderException && e.getCause() instanceof IOException) {
                // The decoder's size check on one field (quarkus.http.limits.max-form-attribute-size).
                return tooLarge("A form field is larger than " + maxFormFieldBytes + " bytes");
            }
            if (e instanceof HttpPostRequestDecoder.ErrorDataDecoderException) {
                return new ApiException(ErrorCode.BAD_REQUEST, contentType(request).equals("multipart/form-data")
                        ? "The multipart body is malformed: every part needs a Content-Disposition: form-data with a non-empty name"
                        : "The form body is malformed: every field needs a non-empty name");
            }
            return new ApiException(ErrorCode.BAD_REQUEST, "The request body could not be read");
        }

        /** The body is read only once its file is open. */
        private void openRawUpload() {
            pendingUploads++;
            rawPath = limits.uploadDirectory().resolve("upload-" + UUID.randomUUID());
            createTempFile(rawPath)
                    .onSuccess(file -> {
                        rawFile = file;
                        file.exceptionHandler(e -> fail(uploadUnavailable()));
                        request.resume();
                    })
                    .onFailure(e -> {
                        LOG.error("Could not open a temporary upload file", e);
                        fail(uploadUnavailable());
                    });
        }

        private void closeRawUpload() {
            long size = received;
            close(rawFile).onComplete(closed -> {
                files.add(new UploadedFile("file", null, rawPath, size));
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
            for (Mac mac : macs) {
                mac.update(chunk.getByteBuf().nioBuffer());
            }
            if (rawUpload) {
                rawFile.write(chunk);
                if (rawFile.writeQueueFull()) {
                    request.pause();
                    rawFile.drainHandler(v -> {
                        if (failure == null) {
                            request.resume();
                        }
                    });
                }
            } else if (!form) {
                raw.appendBuffer(chunk);
            }
        }

        private void receiveFile(HttpServerFileUpload upload) {
            if (failure != null) {
                return;
            }
            upload.pause();
            pendingUploads++;
            Path path = limits.uploadDirectory().resolve("upload-" + UUID.randomUUID());
            createTempFile(path)
                    .onSuccess(file -> streamUpload(upload, file, path))
                    .onFailure(e -> {
                        LOG.error("Could not open a temporary upload file", e);
                        fail(uploadUnavailable());
                    });
        }

        private void streamUpload(HttpServerFileUpload upload, AsyncFile file, Path path) {
            long[] size = { 0 };
            // A write that fails (disk full, folder gone) must end the request, not leave it waiting.
            file.exceptionHandler(e -> fail(uploadUnavailable()));
            upload.handler(chunk -> {
                size[0] += chunk.length();
                if (size[0] > maxFileBytes) {
                    fail(tooLarge("The file '" + upload.name() + "' is larger than " + maxFileBytes + " bytes"));
                    return;
                }
                file.write(chunk);
                if (file.writeQueueFull()) {
                    upload.pause();
                    file.drainHandler(v -> upload.resume());
                }
            });
            upload.endHandler(v -> close(file).onComplete(closed -> {
                files.add(new UploadedFile(upload.name(), upload.filename(), path, size[0]));
                pendingUploads--;
                finishWhenDone();
            }));
            upload.exceptionHandler(e -> close(file));
            upload.resume();
        }

        private void finishWhenDone() {
            if (failure != null || !ended || pendingUploads > 0) {
                return;
            }
            try {
                verify();
            } catch (ApiException e) {
                fail(e);
                return;
            }
            Uni<Void> replayCheck = WRITES.contains(request.method())
                    ? replayGuard.refuseReplay(headers.clientId(), HexFormat.of().formatHex(headers.signature()),
                            headers.timestamp())
                    : Uni.createFrom().voidItem();
            replayCheck.subscribe().with(accepted -> accept(), this::fail);
        }

        private void accept() {
            rc.put(CLIENT_KEY, headers.clientId());
            new ReceivedBody(contentType(request), form ? null : raw, form ? request.formAttributes() : null,
                    List.copyOf(files)).attachTo(rc);
            rc.next();
        }

        private void verify() {
            boolean matches = false;
            for (Mac mac : macs) {
                // Every secret is compared, in constant time, so timing says nothing about which failed.
                matches |= MessageDigest.isEqual(mac.doFinal(), headers.signature());
            }
            if (!matches) {
                throw failed("Signature mismatch: sign METHOD + PATH + QUERY + TIMESTAMP + BODY with your secret");
            }
            if (!headers.client().workspaces().contains(headers.workspace())) {
                throw new ApiException(ErrorCode.FORBIDDEN, "This client may not access workspace '"
                        + headers.workspace() + "'");
            }
        }

        private void fail(Throwable cause) {
            if (cause instanceof ApiException e) {
                fail(e);
            } else {
                LOG.error("The replay check failed", cause);
                fail(new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The request could not be checked; retry shortly"));
            }
        }

        private void fail(ApiException e) {
            // A client that hangs up while a streamed answer is under way ends up here too: the answer has
            // started, so there is nothing left to refuse.
            if (failure != null || rc.response().headWritten()) {
                return;
            }
            failure = e;
            request.pause();
            reject(rc, e);
        }

        /** Opens a new temporary file, remembered so that it is closed and deleted when the request is over. */
        private Future<AsyncFile> createTempFile(Path path) {
            tempFiles.add(path);
            return vertx.fileSystem().mkdirs(limits.uploadDirectory().toString())
                    .compose(v -> vertx.fileSystem().open(path.toString(), new OpenOptions().setCreateNew(true)))
                    .compose(file -> {
                        if (requestOver) {
                            // Opened after the answer went out: nobody will write to or delete it otherwise.
                            return file.close().transform(closed -> vertx.fileSystem().delete(path.toString()))
                                    .transform(deleted -> Future.failedFuture("request already over"));
                        }
                        openFiles.add(file);
                        return Future.succeededFuture(file);
                    });
        }

        /** Closes each file once (a second close would throw); failures only matter to the delete that follows. */
        private Future<Void> close(AsyncFile file) {
            if (!openFiles.remove(file)) {
                return Future.succeededFuture();
            }
            return file.close().otherwiseEmpty();
        }

        private void deleteTempFiles() {
            requestOver = true;
            // A file still open after a 413 is closed first, so no descriptor outlives the request.
            List<Future<Void>> closed = List.copyOf(openFiles).stream().map(this::close).toList();
            Future.join(closed).onComplete(done -> {
                for (Path path : tempFiles) {
                    vertx.fileSystem().delete(path.toString()).onFailure(e -> {
                        // Already moved on or never created.
                    });
                }
            });
        }
    }

    /** The local upload folder cannot take the file: like the store being down, a 503 to retry later. */
    private static ApiException uploadUnavailable() {
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The upload cannot be stored right now; retry shortly");
    }

    private static ApiException tooLarge(String message) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, message);
    }

    /** The multipart boundary named in a Content-Type header, or null when there is none or it is empty. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String parameter : contentType.split(";")) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                String value = parameter.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() || value.indexOf('"') >= 0 ? null : value;
            }
        }
        return null;
    }

    /** The declared Content-Length, or -1 when there is none (chunked) or it is unreadable. */
    private static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String contentType(HttpServerRequest request) {
        String header = request.getHeader("Content-Type");
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase();
    }

    private static Mac hmac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
