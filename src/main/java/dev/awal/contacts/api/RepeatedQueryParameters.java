package dev.awal.contacts.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every query parameter of this API takes one value. A repeated one (`?phone_number_id=1&phone_number_id=2`)
 * is ambiguous: JAX-RS would quietly use the first and ignore the rest, so it is refused instead.
 */
public class RepeatedQueryParameters {

    @ServerRequestFilter
    public void refuseRepeated(UriInfo uri) {
        for (Map.Entry<String, List<String>> parameter : uri.getQueryParameters().entrySet()) {
            if (parameter.getValue().size() > 1) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "The query parameter " + parameter.getKey() + " is repeated",
                        Map.of(parameter.getKey(), "must be given at most once"));
            }
        }
    }
}
