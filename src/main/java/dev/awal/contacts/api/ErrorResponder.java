package dev.awal.contacts.api;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes the error envelope ({@link ErrorEnvelope}) from plain Vert.x handlers (auth, routing), where no JAX-RS mapper runs. */
@ApplicationScoped
public class ErrorResponder {

    private static final Logger LOG = Logger.getLogger(ErrorResponder.class);
    private final ObjectMapper mapper;

    ErrorResponder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void send(RoutingContext rc, ApiException failure) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.closed()) {
            return;
        }
        String requestId = RequestIds.ensure(rc);
        if (response.headWritten()) {
            // Part of another answer is already out: the only honest signal left is to cut the connection.
            LOG.warnf("Failure after the response had started [request_id=%s]: %s", requestId, failure.code());
            rc.request().connection().close();
            return;
        }
        write(response, failure, requestId);
    }

    /**
     * Answers a request refused before routing (no RoutingContext exists) and closes its connection: what
     * follows on it cannot be trusted to start at a request boundary.
     */
    public Future<Void> refuse(HttpServerRequest request, ApiException failure, String requestId) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return Future.succeededFuture();
        }
        RequestIds.stamp(response, requestId);
        response.putHeader("Connection", "close");
        return write(response, failure, requestId).eventually(() -> request.connection().close());
    }

    private Future<Void> write(HttpServerResponse response, ApiException failure, String requestId) {
        return ErrorEnvelope.write(response, failure, requestId, mapper);
    }
}
