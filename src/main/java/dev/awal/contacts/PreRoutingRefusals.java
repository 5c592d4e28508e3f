package dev.awal.contacts;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ErrorResponder;
import dev.awal.contacts.api.RequestIds;
import dev.awal.contacts.observability.AccessLog;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnectionHandler;
import io.vertx.core.http.impl.HttpServerWorker;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;

/**
 * Requests refused before any route runs get the error envelope too, with {@code X-Request-ID} and
 * {@code X-API-Version}, and a line in the access log.
 * <p>
 * Two places answer before the router: Vert.x, for what its HTTP decoder refuses (a request line over
 * {@code quarkus.http.limits.max-initial-line-length}: 414; headers over {@code max-header-size}: 431;
 * control characters or broken syntax in the request line or a header: 400), and Quarkus, for a request
 * target that is not a valid URI (a bad {@code %} escape in the path or query: 400). Both answer with an
 * empty body. Vert.x has a hook for the first ({@code HttpServer#invalidRequestHandler}) but Quarkus
 * creates the server without exposing it, so once the servers listen their connection handlers are given
 * ours: the invalid-request handler, and a URI check in front of Quarkus' own. Should a Vert.x or Quarkus
 * upgrade move these internals, the service logs a warning and keeps the bare answers; HttpEdgeTest fails.
 * <p>
 * Cleartext HTTP/2 (h2c, by {@code Upgrade: h2c} or prior knowledge) is switched off: in cleartext the
 * service speaks HTTP/1.1 only, HTTP/2 stays available over TLS (ALPN) when TLS is configured.
 */
@ApplicationScoped
@RegisterForReflection(targets = { TCPServerBase.class, HttpServerWorker.class, HttpServerConnectionHandler.class },
        classNames = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle")
public class PreRoutingRefusals implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(PreRoutingRefusals.class);
    private static final String WEB_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";
    private static final List<String> SERVER_FIELDS = List.of("httpServer", "httpsServer", "domainSocketServer");
    /** How long to wait for every HTTP verticle to be deployed (the start event comes with the first). */
    private static final int MAX_ATTEMPTS = 100;

    private final ErrorResponder errors;
    private final Vertx vertx;
    private final int maxRequestLine;
    private final long maxHeaders;

    PreRoutingRefusals(ErrorResponder errors, Vertx vertx,
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int maxRequestLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize maxHeaders) {
        this.errors = errors;
        this.vertx = vertx;
        this.maxRequestLine = maxRequestLine;
        this.maxHeaders = maxHeaders.asLongValue();
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        options.setHttp2ClearTextEnabled(false);
    }

    void onServerStart(@ObservesAsync HttpServerStart event) {
        install(1);
    }

    private void install(int attempt) {
        List<HttpServerConnectionHandler> handlers;
        try {
            handlers = connectionHandlers();
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Requests refused before routing keep Vert.x's empty answers (internals changed?): %s", e);
            return;
        }
        if (handlers == null) {
            if (attempt < MAX_ATTEMPTS) {
                vertx.setTimer(20, t -> install(attempt + 1));
            } else {
                LOG.warn("Requests refused before routing keep Vert.x's empty answers: the HTTP servers never showed up");
            }
            return;
        }
        try {
            for (HttpServerConnectionHandler handler : handlers) {
                Handler<HttpServerRequest> routed = get(handler, "requestHandler");
                set(handler, "requestHandler", (Handler<HttpServerRequest>) request -> checkTarget(request, routed));
                set(handler, "invalidRequestHandler", (Handler<HttpServerRequest>) this::refuseInvalid);
            }
            LOG.debugf("Pre-routing refusals installed on %d HTTP server(s)", handlers.size());
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Requests refused before routing keep Vert.x's empty answers (internals changed?): %s", e);
        }
    }

    /**
     * The connection handler of every HTTP server instance Quarkus deployed (one per I/O thread), or null
     * while its deployment is still starting.
     */
    private List<HttpServerConnectionHandler> connectionHandlers() throws ReflectiveOperationException {
        VertxInternal internal = (VertxInternal) vertx;
        for (String id : internal.deploymentIDs()) {
            Deployment deployment = internal.getDeployment(id);
            if (deployment == null || deployment.getVerticles().stream()
                    .noneMatch(v -> v.getClass().getName().equals(WEB_VERTICLE))) {
                continue;
            }
            List<HttpServerConnectionHandler> handlers = new ArrayList<>();
            for (Verticle verticle : deployment.getVerticles()) {
                for (String serverField : SERVER_FIELDS) {
                    Object server = get(verticle, serverField);
                    if (server instanceof TCPServerBase tcp
                            && getFrom(TCPServerBase.class, tcp, "childHandler") instanceof HttpServerWorker worker
                            && getFrom(HttpServerWorker.class, worker, "connectionHandler")
                                    instanceof HttpServerConnectionHandler handler) {
                        handlers.add(handler);
                    }
                }
            }
            return handlers;
        }
        return null;
    }

    /** Quarkus answers a target that is no URI with an empty 400; this one is the same check, in the envelope. */
    private void checkTarget(HttpServerRequest request, Handler<HttpServerRequest> next) {
        if (hasPathParameters(request.uri())) {
            refuse(request, new ApiException(ErrorCode.BAD_REQUEST,
                    "The request path may not hold ';' (this API takes no path parameters); escape it as %3B inside a value"));
            return;
        }
        try {
            if (!plainlyValid(request.uri())) {
                new URI(request.uri());
            }
        } catch (URISyntaxException e) {
            refuse(request, new ApiException(ErrorCode.BAD_REQUEST,
                    "The request target is not a valid URI; check its %-escapes (a % must be followed by two hex digits)"));
            return;
        }
        next.handle(request);
    }

    /**
     * Whether the path (before any '?') holds a ';'. Vert.x Web matches routes against the path with its ';'
     * parameters, the REST layer matches resources without them: {@code /api;x/developer/contacts} matched none of the
     * routes that check signatures, read bodies and count rate limits, and still reached the contacts resource. No
     * endpoint takes path parameters, so such a path is refused before any route, whatever it names.
     */
    static boolean hasPathParameters(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '?' || c == '#') {
                return false;
            }
            if (c == ';') {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the target is an origin-form path and query that {@link URI} accepts for sure: it starts with
     * one '/', and holds only characters a path or query may carry literally, with every '%' followed by two
     * hex digits. Nearly every request is one, and this scan costs a fraction of a URI parse; anything else
     * still goes through the parser.
     */
    static boolean plainlyValid(String target) {
        int length = target.length();
        if (length == 0 || target.charAt(0) != '/' || length > 1 && target.charAt(1) == '/') {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= length || !HexFormat.isHexDigit(target.charAt(i + 1))
                        || !HexFormat.isHexDigit(target.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c >= 128 || !LITERAL[c]) {
                return false;
            }
        }
        return true;
    }

    /** Unreserved characters, the sub-delimiters, ':', '@', '/' and '?' (RFC 3986 pchar and query). */
    private static final boolean[] LITERAL = new boolean[128];

    static {
        String allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?";
        for (char c : allowed.toCharArray()) {
            LITERAL[c] = true;
        }
    }

    private void refuseInvalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ApiException failure;
        if (cause instanceof TooLongHttpLineException) {
            failure = new ApiException(ErrorCode.URI_TOO_LONG,
                    "The request line is longer than " + maxRequestLine + " bytes; shorten the URL");
        } else if (cause instanceof TooLongHttpHeaderException) {
            failure = new ApiException(ErrorCode.HEADERS_TOO_LARGE,
                    "The request headers are larger than " + maxHeaders + " bytes");
        } else {
            failure = new ApiException(ErrorCode.BAD_REQUEST,
                    "The request line or a header is malformed (control characters or invalid syntax)");
        }
        LOG.debugf("Refused an invalid request: %s", cause);
        refuse(request, failure);
    }

    private void refuse(HttpServerRequest request, ApiException failure) {
        long start = System.nanoTime();
        String requestId = RequestIds.choose(request.getHeader(RequestIds.HEADER));
        errors.refuse(request, failure, requestId)
                .onComplete(done -> AccessLog.refused(request, failure.code().status(), requestId, start));
    }

    private static <T> T get(Object target, String name) throws ReflectiveOperationException {
        return getFrom(target.getClass(), target, name);
    }

    @SuppressWarnings("unchecked")
    private static <T> T getFrom(Class<?> type, Object target, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return (T) field.get(target);
    }

    private static void set(Object target, String name, Object value) throws ReflectiveOperationException {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }
}
