package dev.awal.contacts.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.Logger;

import dev.awal.contacts.api.Headers;
import dev.awal.contacts.api.RequestIds;
import dev.awal.contacts.api.RouteOrder;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Names every request by its route template and writes one access-log line when its response ends.
 * <p>
 * Quarkus REST leaves the matched resource template (with its regex, {@code {id: \d{1,18}}}) in
 * the request's context, where the Micrometer HTTP metrics read it too. Requests refused before a
 * resource matched (401 from the auth handler) have none, and Micrometer would fall back to the raw
 * path: one time series per id anyone cares to send. So before the response goes out, the template
 * is normalized to {@code {id}}, or replaced by a name from a small fixed set (see {@link #route}).
 * <p>
 * The line holds method, route, status, duration and request id; never the raw path (it may carry
 * ids or capability keys), the query, headers, signatures or bodies. In JSON logs they are MDC fields.
 */
@ApplicationScoped
public class AccessLog {

    public static final String CATEGORY = "dev.awal.contacts.access";
    /** The context-local key Quarkus REST and Micrometer share for the route template. */
    private static final String TEMPLATE_KEY = "UrlPathTemplate";
    private static final String NOT_FOUND = "NOT_FOUND";
    /** The route name of requests refused before routing (malformed, too long). */
    private static final String REFUSED = "REFUSED";
    private static final String STARTED = "access-log.started";
    private static final Pattern PARAMETER_REGEX = Pattern.compile("\\{\\s*([^:}\\s]+)\\s*:[^/]*}");
    private static final Logger LOG = Logger.getLogger(CATEGORY);
    /** The class the line names as its logger's, as when it went through JBoss Logging. */
    private static final String LOGGER_CLASS = org.jboss.logging.Logger.class.getName();
    /** Resource template to route name; bounded by the number of resource methods. */
    private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();

    void register(@Observes Router router) {
        // Before RequestIds (-200) and authentication (-100), so refused requests are named and logged too.
        router.route().order(RouteOrder.ACCESS_LOG).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        // A reroute (Swagger UI's "/" to "index.html") runs the handlers again for the same request.
        if (rc.get(STARTED) == null) {
            long start = System.nanoTime();
            rc.put(STARTED, start);
            rc.addHeadersEndHandler(v -> nameRoute(rc));
            boolean[] logged = { false };
            Runnable logOnce = () -> {
                if (!logged[0]) {
                    logged[0] = true;
                    log(rc, start);
                }
            };
            rc.addBodyEndHandler(v -> logOnce.run());
            rc.addEndHandler(ended -> {
                // A body the decoder refuses ends the routing context with that failure before the 400 is
                // written: the line waits for the answer (body end) unless the connection is gone.
                if (ended.succeeded() || rc.response().ended() || rc.response().closed()) {
                    logOnce.run();
                }
            });
        }
        rc.next();
    }

    /**
     * Names the request by {@code template} for a route that answers without Quarkus REST, as the resource
     * of that template would have named it (the access log's route and Micrometer's uri tag).
     */
    public static void routed(RoutingContext rc, String template) {
        Context context = requestContext(rc);
        if (context != null) {
            context.putLocal(TEMPLATE_KEY, template);
        }
    }

    private static void nameRoute(RoutingContext rc) {
        Context context = requestContext(rc);
        String route = route(rc);
        if (context != null && !route.equals(NOT_FOUND)) {
            context.putLocal(TEMPLATE_KEY, route);
        }
    }

    private static void log(RoutingContext rc, long start) {
        write(rc.request().method().name(), route(rc), rc.response().getStatusCode(), start, RequestIds.of(rc));
    }

    /** The line for a request refused before routing (its method may be a guess; it has no route). */
    public static void refused(HttpServerRequest request, int status, String requestId, long start) {
        write(request.method() == null ? "-" : request.method().name(), REFUSED, status, start, requestId);
    }

    private static void write(String method, String route, int status, long start, String requestId) {
        if (!LOG.isLoggable(Level.INFO)) {
            return;
        }
        String duration = millis(System.nanoTime() - start);
        // A finished message, not infof: this runs once per request on the event loop, and a printf-style
        // message is formatted through java.util.Formatter. The fields go on the record itself rather than
        // through the MDC: five puts and removes on the request's context, and a copy of it all, per request.
        ExtLogRecord record = new ExtLogRecord(Level.INFO,
                method + ' ' + route + ' ' + status + ' ' + duration + " ms request_id=" + requestId,
                ExtLogRecord.FormatStyle.NO_FORMAT, LOGGER_CLASS);
        Map<String, Object> fields = new HashMap<>(8);
        fields.put("method", method);
        fields.put("route", route);
        fields.put("status", status);
        fields.put("duration_ms", duration);
        fields.put("request_id", requestId);
        record.setMdc(fields);
        LOG.logRaw(record);
    }

    /** Nanoseconds as milliseconds with one decimal ("12.3"), as String.format("%.1f") would print them. */
    static String millis(long nanos) {
        long tenths = (Math.max(nanos, 0) + 50_000) / 100_000;
        return (tenths / 10) + "." + (tenths % 10);
    }

    /**
     * The resource template with parameter regexes removed, or for requests no resource took:
     * NOT_FOUND (Micrometer's name) for a 404; {@code /api/developer/*} for API requests refused
     * earlier (authentication, API version) or by method; the path of Quarkus' own endpoints (a fixed
     * set under /q/); else the Vert.x route that answered ({@code /*} for a catch-all one).
     */
    static String route(RoutingContext rc) {
        Context context = requestContext(rc);
        if (context != null && context.getLocal(TEMPLATE_KEY) instanceof String template) {
            // Templates come from the resource methods (a fixed set), so the map stays small.
            return TEMPLATES.computeIfAbsent(template, raw -> PARAMETER_REGEX.matcher(raw).replaceAll("{$1}"));
        }
        String path = rc.request().path();
        if (rc.response().getStatusCode() == 404) {
            return NOT_FOUND;
        }
        if (path.startsWith(Headers.API_PREFIX + "/")) {
            return Headers.API_PREFIX + "/*";
        }
        if (path.startsWith("/q/")) {
            return path;
        }
        String routePath = rc.currentRoute() != null ? rc.currentRoute().getPath() : null;
        if (routePath == null) {
            return "/*"; // a catch-all route, such as the static resources
        }
        // A prefix route ("/media/*") reports its path without the wildcard.
        return routePath.endsWith("/") && routePath.length() > 1 ? routePath + "*" : routePath;
    }

    private static Context requestContext(RoutingContext rc) {
        return rc.request() instanceof HttpServerRequestInternal internal ? internal.context() : null;
    }
}
