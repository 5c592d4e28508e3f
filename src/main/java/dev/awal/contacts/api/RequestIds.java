package dev.awal.contacts.api;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every request: assigns the request id (the client's if it is sane), stamps
 * {@code X-Request-ID} and {@code X-API-Version} on the response, and refuses unknown API versions.
 * Answers given without this handler (router failures, requests refused before routing) get their
 * id through {@link #ensure} and {@link #choose}.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-ID";
    public static final String VERSION_HEADER = "X-API-Version";
    public static final String API_VERSION = "v1";
    private static final String KEY = "request_id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ErrorResponder errors;

    RequestIds(ErrorResponder errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(RouteOrder.REQUEST_ID).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        String id = ensure(rc);
        MDC.put(KEY, id);
        String version = rc.request().getHeader(VERSION_HEADER);
        if (version != null && !API_VERSION.equals(version.trim())) {
            errors.send(rc, new ApiException(ErrorCode.UNSUPPORTED_API_VERSION,
                    "API version is not supported; use v1 or omit X-API-Version",
                    Map.of("X-API-Version", "must be v1")));
            return;
        }
        rc.next();
    }

    /** The request's id, assigned and stamped on the response on first use. */
    public static String ensure(RoutingContext rc) {
        String id = rc.get(KEY);
        if (id == null) {
            id = choose(rc.request().getHeader(HEADER));
            rc.put(KEY, id);
            stamp(rc.response(), id);
        }
        return id;
    }

    /** The client's id if it is sane, else a new one. */
    public static String choose(String offered) {
        return offered != null && SANE.matcher(offered).matches() ? offered : generate();
    }

    public static void stamp(HttpServerResponse response, String id) {
        if (!response.headWritten()) {
            response.putHeader(HEADER, id).putHeader(VERSION_HEADER, API_VERSION);
        }
    }

    public static String of(RoutingContext rc) {
        String id = rc.get(KEY);
        return id != null ? id : "unknown";
    }

    /**
     * 96 random bits as 24 hex digits. A request id correlates log lines and answers; it guards nothing,
     * so it comes from the thread's own generator rather than SecureRandom, whose shared, locked source
     * cost more than the rest of the id's handling on every request.
     */
    private static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return hex.toHexDigits(random.nextLong()) + hex.toHexDigits(random.nextInt());
    }
}
