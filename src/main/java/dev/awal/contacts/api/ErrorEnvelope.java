package dev.awal.contacts.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/**
 * The one rendering of a failure as an HTTP answer (README "The HTTP edge"; the Error schema of the OpenAPI document): the status of its code, the
 * {@link ApiError} envelope as JSON and the {@code Retry-After} header, for the JAX-RS exception
 * mappers ({@link ErrorMappers}) and the plain Vert.x handlers ({@link ErrorResponder}) alike.
 */
public final class ErrorEnvelope {

    /** What a 503 asks a client to wait when the failure names no better time. */
    static final long DEFAULT_RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger(ErrorEnvelope.class);

    private ErrorEnvelope() {
    }

    static ApiError body(ApiException failure, String requestId) {
        return ApiError.of(failure.code(), failure.getMessage(), failure.details(), requestId);
    }

    /** The answer for a JAX-RS mapper; the caller may add headers before building it. */
    static Response.ResponseBuilder response(ApiException failure, String requestId) {
        Response.ResponseBuilder response = Response.status(failure.code().status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(body(failure, requestId));
        Long retryAfter = failure.retryAfterSeconds();
        if (retryAfter != null) {
            response.header(Headers.RETRY_AFTER, String.valueOf(retryAfter));
        }
        return response;
    }

    /** Writes and ends the answer of a Vert.x handler. */
    static Future<Void> write(HttpServerResponse response, ApiException failure, String requestId,
            ObjectMapper mapper) {
        Long retryAfter = failure.retryAfterSeconds();
        if (retryAfter != null) {
            response.putHeader(Headers.RETRY_AFTER, String.valueOf(retryAfter));
        }
        try {
            return response.setStatusCode(failure.code().status())
                    .putHeader("Content-Type", "application/json;charset=UTF-8")
                    .end(mapper.writeValueAsString(body(failure, requestId)));
        } catch (JsonProcessingException e) {
            LOG.error("Could not render an error envelope", e);
            return response.setStatusCode(500).end();
        }
    }
}
