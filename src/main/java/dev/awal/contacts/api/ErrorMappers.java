package dev.awal.contacts.api;

import java.net.ConnectException;
import java.util.Map;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.ClosedConnectionException;

/** Turns every failure that reaches JAX-RS into the error envelope ({@link ErrorEnvelope}; the Error schema of the OpenAPI document). */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e, RoutingContext rc) {
        return ErrorEnvelope.response(e, RequestIds.of(rc)).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, RoutingContext rc) {
        return envelope(ErrorCode.RESOURCE_NOT_FOUND, "No route for " + describe(rc.request()), null, rc).build();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, RoutingContext rc) {
        Response.ResponseBuilder response = envelope(ErrorCode.METHOD_NOT_ALLOWED,
                "Method " + rc.request().method().name() + " is not allowed on " + rc.request().path(), null, rc);
        String allow = e.getResponse().getHeaderString("Allow");
        if (allow != null) {
            response.header("Allow", allow);
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response unsupportedType(NotSupportedException e, RoutingContext rc) {
        String type = rc.request().getHeader("Content-Type");
        return envelope(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                "Content type " + (type == null ? "(none)" : "'" + type + "'") + " is not accepted by this endpoint",
                null, rc).build();
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, RoutingContext rc) {
        return envelope(ErrorCode.BAD_REQUEST, "This API only produces application/json",
                Map.of("Accept", "must allow application/json"), rc).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, RoutingContext rc) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, rc);
        }
        return envelope(ErrorCode.BAD_REQUEST, "The request could not be processed", null, rc).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext rc) {
        if (isUnavailable(e)) {
            LOG.warnf("Dependency unavailable [request_id=%s]: %s", RequestIds.of(rc), e.toString());
            return envelope(ErrorCode.SERVICE_UNAVAILABLE, "A backing service is unavailable; retry shortly", null, rc)
                    .build();
        }
        LOG.errorf(e, "Unexpected failure [request_id=%s] %s", RequestIds.of(rc), describe(rc.request()));
        return envelope(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred; quote the request id to support",
                null, rc).build();
    }

    private static Response.ResponseBuilder envelope(ErrorCode code, String message, Map<String, Object> details,
            RoutingContext rc) {
        return ErrorEnvelope.response(new ApiException(code, message, details), RequestIds.of(rc));
    }

    /**
     * Database or storage connection trouble is a 503, not a bug. So are a deadlock or serialization failure that
     * outlasted the writer's own retries, and a blocking wait (an upload's job bookkeeping) that ran out of time:
     * the request changed nothing and can be sent again.
     */
    static boolean isUnavailable(Throwable e) {
        if (DatabaseErrors.isUnavailable(e) || DatabaseErrors.isDeadlock(e)) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.smallrye.mutiny.TimeoutException || t instanceof ConnectException || t instanceof ClosedConnectionException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("Connection refused") || message.contains("Timeout waiting for a connection")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String describe(HttpServerRequest request) {
        return request.method().name() + " " + request.path();
    }
}
