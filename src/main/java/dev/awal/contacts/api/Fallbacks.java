package dev.awal.contacts.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Routes that no handler took, and failures outside JAX-RS, still answer in the error envelope. The
 * failure handler runs before Quarkus' own (registered last), whose page would carry the exception's
 * class and message, and in dev and test its stack trace.
 */
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
        router.errorHandler(400, rc -> errors.send(rc, new ApiException(ErrorCode.BAD_REQUEST,
                "The request line or its headers are malformed")));
        router.errorHandler(500, this::internal);
        router.route().failureHandler(this::failure);
    }

    private void failure(RoutingContext rc) {
        if (rc.failure() instanceof ApiException e) {
            errors.send(rc, e);
            return;
        }
        ErrorCode code = rc.failure() == null ? clientError(rc.statusCode()) : null;
        if (code == null) {
            internal(rc);
        } else {
            errors.send(rc, new ApiException(code, switch (code) {
                case RESOURCE_NOT_FOUND -> "No route for " + rc.request().method().name() + " " + rc.request().path();
                case METHOD_NOT_ALLOWED -> "Method " + rc.request().method().name() + " is not allowed on "
                        + rc.request().path();
                case PAYLOAD_TOO_LARGE -> "The request body is too large";
                case UNSUPPORTED_MEDIA_TYPE -> "The Content-Type of the request is not supported here";
                default -> "The request is malformed";
            }));
        }
    }

    /** The error code for a bare 4xx a framework handler failed the request with, or null for anything else. */
    private static ErrorCode clientError(int status) {
        return switch (status) {
            case 404 -> ErrorCode.RESOURCE_NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 400 && status < 500 ? ErrorCode.BAD_REQUEST : null;
        };
    }

    private void internal(RoutingContext rc) {
        LOG.errorf(rc.failure(), "Unhandled failure [request_id=%s] %s %s", RequestIds.of(rc),
                rc.request().method().name(), rc.request().path());
        errors.send(rc, new ApiException(ErrorCode.INTERNAL_ERROR,
                "An unexpected error occurred; quote the request id to support"));
    }
}
