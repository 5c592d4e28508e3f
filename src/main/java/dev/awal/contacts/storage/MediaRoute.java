package dev.awal.contacts.storage;

import java.util.concurrent.Flow;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.EntityTags;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ErrorResponder;
import dev.awal.contacts.api.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Serves stored objects at {@code /media/<key>} without authentication: the key's 128 random bits make
 * the URL a capability. Bodies stream from the store with back-pressure; objects never change under a
 * key, so they are cached for a year and revalidated by ETag.
 */
@ApplicationScoped
public class MediaRoute {

    public static final String PATH = "/media/";

    private static final Logger LOG = Logger.getLogger(MediaRoute.class);
    private static final String CACHE_FOREVER = "public, max-age=31536000, immutable";

    private final ObjectStorage storage;
    private final ErrorResponder errors;

    MediaRoute(ObjectStorage storage, ErrorResponder errors) {
        this.storage = storage;
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route(HttpMethod.GET, PATH + "*").handler(this::serve);
        router.route(HttpMethod.HEAD, PATH + "*").handler(this::serve);
    }

    void serve(RoutingContext rc) {
        String path = rc.request().path();
        // The route "/media/*" also matches "/media" itself.
        if (path.length() <= PATH.length() || !path.startsWith(PATH)) {
            notFound(rc);
            return;
        }
        String key = path.substring(PATH.length());
        // Only media is public: an import's uploaded file is a whole contact list.
        if (!ObjectKeys.isPublic(key)) {
            notFound(rc);
            return;
        }
        String etag = ObjectKeys.etag(key);
        boolean notModified = matches(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag);
        if (notModified || rc.request().method() == HttpMethod.HEAD) {
            storage.stat(key).subscribe().with(info -> {
                if (info == null) {
                    notFound(rc);
                } else if (notModified) {
                    cacheHeaders(rc.response(), etag).setStatusCode(304).end();
                } else {
                    objectHeaders(rc.response(), etag, info).end();
                }
            }, failure -> fail(rc, failure));
            return;
        }
        storage.read(key).subscribe().with(object -> {
            if (object == null) {
                notFound(rc);
                return;
            }
            objectHeaders(rc.response(), etag, object.info());
            object.body().subscribe().withSubscriber(new ResponseWriter(rc));
        }, failure -> fail(rc, failure));
    }

    private static HttpServerResponse cacheHeaders(HttpServerResponse response, String etag) {
        return response.putHeader(HttpHeaders.ETAG, etag).putHeader(HttpHeaders.CACHE_CONTROL, CACHE_FOREVER);
    }

    private static HttpServerResponse objectHeaders(HttpServerResponse response, String etag, ObjectStorage.ObjectInfo info) {
        return cacheHeaders(response, etag)
                .putHeader(HttpHeaders.CONTENT_TYPE, info.contentType())
                .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(info.size()))
                .putHeader("X-Content-Type-Options", "nosniff");
    }

    /** If-None-Match may list several tags, weak ones included, or be {@code *}. */
    private static boolean matches(String ifNoneMatch, String etag) {
        return EntityTags.matches(ifNoneMatch, etag);
    }

    private void notFound(RoutingContext rc) {
        errors.send(rc, ApiException.notFound("Object"));
    }

    private void fail(RoutingContext rc, Throwable failure) {
        if (failure instanceof ApiException api) {
            errors.send(rc, api);
            return;
        }
        LOG.errorf(failure, "Serving %s failed [request_id=%s]", rc.request().path(), RequestIds.of(rc));
        errors.send(rc, new ApiException(ErrorCode.INTERNAL_ERROR,
                "An unexpected error occurred; quote the request id to support"));
    }

    /** Writes the body as it arrives, asking for more only while the client keeps up. */
    private static final class ResponseWriter implements Flow.Subscriber<Buffer> {

        private final RoutingContext rc;
        private final HttpServerResponse response;
        private Flow.Subscription subscription;

        ResponseWriter(RoutingContext rc) {
            this.rc = rc;
            this.response = rc.response();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            // A client that goes away stops the read, which releases the file or the S3 connection.
            response.closeHandler(ignored -> subscription.cancel());
            if (response.closed()) {
                subscription.cancel();
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(Buffer chunk) {
            response.write(chunk);
            if (response.writeQueueFull()) {
                response.drainHandler(ignored -> subscription.request(1));
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            // The status line is gone already: cutting the connection tells the client the body is incomplete.
            LOG.warnf("Streaming %s failed [request_id=%s]: %s", rc.request().path(), RequestIds.of(rc), failure.toString());
            response.reset();
        }

        @Override
        public void onComplete() {
            response.end();
        }
    }
}
