package dev.awal.contacts.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpServerRequest;

/**
 * Every query parameter of this API takes one value. A repeated one (`?phone_number_id=1&phone_number_id=2`)
 * is ambiguous: JAX-RS would quietly use the first and ignore the rest, so it is refused instead.
 */
public class RepeatedQueryParameters {

    @ServerRequestFilter
    public void refuseRepeated(UriInfo uri, HttpServerRequest request) {
        String query = request.query();
        if (query == null || query.indexOf('&') < 0 && query.indexOf(';') < 0) {
            // One parameter at most (both are separators to the decoder): nothing can repeat, and the decoded
            // map, which costs more than the rest of this filter, need not be built.
            return;
        }
        for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
            if (parameter.getValue().size() > 1) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "The query parameter " + parameter.getKey() + " is repeated",
                        Map.of(parameter.getKey(), "must be given at most once"));
            }
        }
    }
}
