package dev.awal.contacts.security;

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

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ErrorResponder;
import dev.awal.contacts.api.ReceivedBody;
import dev.awal.contacts.api.ReceivedBody.UploadedFile;
import io.smallrye.mutiny.Uni;
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
 * (urlencoded, multipart) or a temporary file (file parts). Nothing is buffered without a limit,
 * and the request is only handed on once the signature, the workspace and the replay check pass.
 */
@ApplicationScoped
public class SignedRequestHandler {

    public static final String PREFIX = "/api/developer";
    public static final String SIGNATURE = "X-Awal-Signature-256";
    public static final String TIMESTAMP = "X-Timestamp";
    public static final String DOMAIN = "X-Domain";
    public static final String CLIENT_ID = "X-Client-ID";
    public static final String CLIENT_KEY = "contacts.client-id";

    private static final Logger LOG = Logger.getLogger(SignedRequestHandler.class);
    private static final Pattern SIGNATURE_FORMAT = Pattern.compile("sha256=[0-9a-fA-F]{64}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,12}");
    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final AuthConfig config;
    private final BodyLimits limits;
    private final ReplayGuard replayGuard;
    private final ErrorResponder errors;
    private final Vertx vertx;

    SignedRequestHandler(AuthConfig config, BodyLimits limits, ReplayGuard replayGuard, ErrorResponder errors,
            Vertx vertx) {
        this.config = config;
        this.limits = limits;
        this.replayGuard = replayGuard;
        this.errors = errors;
        this.vertx = vertx;
    }

    void register(@Observes Router router) {
        router.route(PREFIX + "/*").order(-100).handler(this::handle);
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
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // Headers are acceptable: only now let the client send a (possibly large) body.
            rc.response().writeContinue();
        }
        new BodyReader(rc, headers).start();
    }

    private SignedHeaders checkHeaders(HttpServerRequest request) {
        Map<String, Object> missing = new LinkedHashMap<>();
        for (String name : List.of(SIGNATURE, TIMESTAMP, DOMAIN, CLIENT_ID)) {
            String value = request.getHeader(name);
            if (value == null || value.isBlank()) {
                missing.put(name, "header is required");
            }
        }
        if (!missing.isEmpty()) {
            throw new ApiException(ErrorCode.MISSING_HEADERS, "Missing authentication headers: "
                    + String.join(", ", missing.keySet()), missing);
        }
        String clientId = request.getHeader(CLIENT_ID).trim();
        AuthConfig.Client client = config.clients().get(clientId);
        if (client == null) {
            throw failed("Unknown client");
        }
        String timestampHeader = request.getHeader(TIMESTAMP).trim();
        if (!DIGITS.matcher(timestampHeader).matches()) {
            throw failed("X-Timestamp must be unix seconds");
        }
        long timestamp = Long.parseLong(timestampHeader);
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > config.timestampWindow().toSeconds()) {
            throw failed("Request timestamp is outside the allowed window of "
                    + config.timestampWindow().toSeconds() + " seconds; check the client's clock");
        }
        String signature = request.getHeader(SIGNATURE).trim();
        if (!SIGNATURE_FORMAT.matcher(signature).matches()) {
            throw failed("X-Awal-Signature-256 must be sha256=<64 hex digits>");
        }
        byte[] expected = HexFormat.of().parseHex(signature.substring("sha256=".length()));
        return new SignedHeaders(clientId, client, timestampHeader, timestamp, request.getHeader(DOMAIN).trim(),
                expected);
    }

    private static ApiException failed(String why) {
        return new ApiException(ErrorCode.AUTHENTICATION_FAILED, why);
    }

    /** Answers and, when a body may still be arriving, closes the connection rather than reading on. */
    private void reject(RoutingContext rc, ApiException failure) {
        HttpServerRequest request = rc.request();
        if (!request.isEnded()) {
            rc.response().putHeader("Connection", "close");
            rc.response().endHandler(v -> request.connection().close());
        }
        errors.send(rc, failure);
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
        private final long maxBytes;
        private final long maxFileBytes;
        private final Buffer raw = Buffer.buffer();
        private final List<UploadedFile> files = new ArrayList<>();
        private final List<Path> tempFiles = new ArrayList<>();
        private int pendingUploads;
        private boolean ended;
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
            this.maxFileBytes = limits.maxFileBytes(request.path());
            this.maxBytes = contentType.equals("multipart/form-data") ? maxFileBytes + limits.maxBodyBytes()
                    : limits.maxBodyBytes();
        }

        void start() {
            String query = request.query();
            String signed = request.method().name() + request.path().substring(PREFIX.length())
                    + (query == null ? "" : "?" + query) + headers.timestampHeader();
            byte[] prefix = signed.getBytes(StandardCharsets.UTF_8);
            macs.forEach(mac -> mac.update(prefix));
            rc.addEndHandler(v -> deleteTempFiles());
            if (form) {
                request.setExpectMultipart(true);
                request.uploadHandler(this::receiveFile);
            }
            request.handler(this::receive);
            request.exceptionHandler(e -> fail(new ApiException(ErrorCode.BAD_REQUEST,
                    "The request body could not be read: " + e.getMessage())));
            request.endHandler(v -> {
                ended = true;
                finishWhenDone();
            });
            request.resume();
        }

        private void receive(Buffer chunk) {
            if (failure != null) {
                return;
            }
            received += chunk.length();
            if (received > maxBytes) {
                fail(tooLarge("The request body is larger than " + maxBytes + " bytes"));
                return;
            }
            for (Mac mac : macs) {
                mac.update(chunk.getByteBuf().nioBuffer());
            }
            if (!form) {
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
            tempFiles.add(path);
            vertx.fileSystem().mkdirs(limits.uploadDirectory().toString())
                    .compose(v -> vertx.fileSystem().open(path.toString(), new OpenOptions().setCreateNew(true)))
                    .onSuccess(file -> streamUpload(upload, file, path))
                    .onFailure(e -> {
                        LOG.error("Could not open a temporary upload file", e);
                        fail(new ApiException(ErrorCode.INTERNAL_ERROR, "The upload could not be stored"));
                    });
        }

        private void streamUpload(HttpServerFileUpload upload, AsyncFile file, Path path) {
            long[] size = { 0 };
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
            upload.endHandler(v -> file.close().onComplete(closed -> {
                files.add(new UploadedFile(upload.name(), upload.filename(), path, size[0]));
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
                fail(new ApiException(ErrorCode.INTERNAL_ERROR, "The request could not be checked; retry shortly"));
            }
        }

        private void fail(ApiException e) {
            if (failure != null) {
                return;
            }
            failure = e;
            request.pause();
            reject(rc, e);
        }

        private void deleteTempFiles() {
            for (Path path : tempFiles) {
                vertx.fileSystem().delete(path.toString()).onFailure(e -> {
                    // Already moved on or never created.
                });
            }
        }
    }

    private static ApiException tooLarge(String message) {
        return new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, message);
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
