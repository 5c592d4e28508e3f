package dev.awal.contacts.api;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * First handler of every request: assigns the request id (the client's if it is sane), stamps
 * {@code X-Request-ID} and {@code X-API-Version} on the response, and refuses unknown API versions.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-ID";
    public static final String VERSION_HEADER = "X-API-Version";
    public static final String API_VERSION = "v1";
    private static final String KEY = "request_id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ErrorResponder errors;
    /** Per bean, created at run time: a static one initialized while building a native image would keep a build-time seed. */
    private final SecureRandom random = new SecureRandom();

    RequestIds(ErrorResponder errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(-200).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        String offered = rc.request().getHeader(HEADER);
        String id = offered != null && SANE.matcher(offered).matches() ? offered : generate();
        rc.put(KEY, id);
        MDC.put(KEY, id);
        rc.response().putHeader(HEADER, id).putHeader(VERSION_HEADER, API_VERSION);
        String version = rc.request().getHeader(VERSION_HEADER);
        if (version != null && !API_VERSION.equals(version.trim())) {
            errors.send(rc, new ApiException(ErrorCode.UNSUPPORTED_API_VERSION,
                    "API version is not supported; use v1 or omit X-API-Version",
                    Map.of("X-API-Version", "must be v1")));
            return;
        }
        rc.next();
    }

    public static String of(RoutingContext rc) {
        String id = rc.get(KEY);
        return id != null ? id : "unknown";
    }

    private String generate() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
