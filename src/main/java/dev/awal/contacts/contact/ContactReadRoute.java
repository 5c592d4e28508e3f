package dev.awal.contacts.contact;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.Headers;
import dev.awal.contacts.api.RouteOrder;
import dev.awal.contacts.observability.AccessLog;
import dev.awal.contacts.security.Caller;
import dev.awal.contacts.storage.PublicUrls;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves {@code GET /api/developer/contacts/{id}}, the hottest read, as a plain Vert.x route right after
 * the signature check and the rate limiter, so Quarkus REST's per-request machinery (resource matching,
 * request context, the handler chain, the response builder, the message body writer lookup) is skipped.
 * Every request still passes the access log, request id, authentication and limiter handlers before it
 * gets here, and the HTTP metrics see it under the resource's template. The answer is the one
 * {@link ContactResource#get} gives (the documented operation; it still answers whatever this route
 * hands on): same status, headers and bytes, which {@code ContactReadRouteTest} compares.
 * <p>
 * The route only takes the requests it answers identically and hands on the rest: one with a query (the
 * resource's filters judge those, RepeatedQueryParameters), a path Vert.x had to normalize, an {@code Accept}
 * other than the plain ones (JAX-RS negotiates those), and a read that found nothing or failed, which the
 * resource then repeats and answers with its envelope.
 */
@ApplicationScoped
class ContactReadRoute {

    /** The resource's template as the access log and Micrometer name it. */
    static final String TEMPLATE = Headers.API_PREFIX + "/contacts/{id}";
    private static final String PATH = "\\Q" + Headers.API_PREFIX + "/contacts/\\E(\\d{1,18})";
    private static final String JSON = "application/json;charset=UTF-8";

    private final ContactReads reads;
    private final PublicUrls urls;
    /** The envelope's writer, resolved once: the resource's writer looks it up by the answer's type per request. */
    private final ObjectWriter writer;
    /** contacts.reads.fast-path; read per request so the equivalence test can compare both paths in one run. */
    private volatile boolean enabled;

    ContactReadRoute(ContactReads reads, PublicUrls urls, ObjectMapper mapper,
            @ConfigProperty(name = "contacts.reads.fast-path", defaultValue = "true") boolean enabled) {
        this.reads = reads;
        this.urls = urls;
        this.writer = mapper.writerFor(mapper.getTypeFactory().constructParametricType(ApiResponse.class, ContactView.class));
        this.enabled = enabled;
    }

    void register(@Observes Router router) {
        router.getWithRegex(PATH).order(RouteOrder.FAST_READS).handler(this::handle);
    }

    /** Switches the route on or off (the equivalence test's lever; production sets it by configuration). */
    void enabled(boolean enabled) {
        this.enabled = enabled;
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (!enabled || request.query() != null || !request.path().equals(rc.normalizedPath())
                || !plainAccept(request.getHeader(HttpHeaders.ACCEPT))) {
            rc.next();
            return;
        }
        long id = Long.parseLong(rc.pathParam("param0"));
        AccessLog.routed(rc, TEMPLATE);
        reads.find(Caller.of(rc).workspace(), id, key -> urls.of(key, request)).subscribe().with(
                found -> answer(rc, found),
                failure -> rc.next()); // the resource repeats the read and maps the failure as it always does
    }

    private void answer(RoutingContext rc, ContactReads.Found found) {
        if (found == null) {
            // The resource's 404 (its envelope as JAX-RS writes it, Content-Type without a charset) after a
            // second look: a miss is rare on this path, and one rendering of the envelope is kept.
            rc.next();
            return;
        }
        if (EntityTags.notModified(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), found.etag())) {
            rc.response().setStatusCode(304).putHeader(HttpHeaders.ETAG, found.etag()).end();
            return;
        }
        byte[] body;
        try {
            body = writer.writeValueAsBytes(ApiResponse.ok("Contact retrieved successfully", found.view()));
        } catch (JsonProcessingException e) {
            rc.next(); // cannot happen for this record; the resource's writer reports it as it would
            return;
        }
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).putHeader(HttpHeaders.ETAG, found.etag())
                .end(Buffer.buffer(body));
    }

    /** No Accept, or one that takes JSON without negotiation; anything else is JAX-RS's to negotiate. */
    private static boolean plainAccept(String accept) {
        return accept == null || accept.equals("application/json") || accept.equals("*/*");
    }
}
