package dev.awal.contacts.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Routes that no handler took (and failures outside JAX-RS) still answer in the error envelope. */
@ApplicationScoped
public class Fallbacks {

    private static final Logger LOG = Logger.getLogger(Fallbacks.class);
    private final ErrorResponder errors;

    Fallbacks(ErrorResponder errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.errorHandler(404, rc -> errors.send(rc, new ApiException(ErrorCode.RESOURCE_NOT_FOUND,
                "No route for " + rc.request().method().name() + " " + rc.request().path())));
        router.errorHandler(405, rc -> errors.send(rc, new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
                "Method " + rc.request().method().name() + " is not allowed on " + rc.request().path())));
        router.errorHandler(500, this::internal);
    }

    private void internal(RoutingContext rc) {
        LOG.errorf(rc.failure(), "Unhandled failure [request_id=%s] %s %s", RequestIds.of(rc),
                rc.request().method().name(), rc.request().path());
        errors.send(rc, new ApiException(ErrorCode.INTERNAL_ERROR,
                "An unexpected error occurred; quote the request id to support"));
    }
}
