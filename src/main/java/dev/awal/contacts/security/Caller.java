package dev.awal.contacts.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.awal.contacts.api.Headers;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling, as {@link SignedRequestHandler} verified it: resources receive the client and the
 * workspace from here instead of re-reading headers, so the workspace is not an API parameter of
 * every operation (it belongs to the signature scheme) and cannot be read before it was checked.
 */
@RequestScoped
public class Caller {

    @Inject
    CurrentVertxRequest current;

    private String clientId;
    private String workspace;

    @PostConstruct
    void read() {
        RoutingContext rc = current.getCurrent();
        // The handler stores the client id only once signature, workspace and replay checks passed.
        clientId = rc == null ? null : rc.get(SignedRequestHandler.CLIENT_KEY);
        if (clientId == null) {
            throw new IllegalStateException("No verified caller on this request");
        }
        workspace = rc.request().getHeader(Headers.DOMAIN).trim();
    }

    public String clientId() {
        return clientId;
    }

    /** The X-Domain workspace every read and write of this request is confined to. */
    public String workspace() {
        return workspace;
    }
}
