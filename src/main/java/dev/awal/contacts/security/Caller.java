package dev.awal.contacts.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is calling, as {@link SignedRequestHandler} verified it: resources receive the client and the
 * workspace from here instead of re-reading headers, so the workspace is not an API parameter of
 * every operation (it belongs to the signature scheme) and cannot be read before it was checked.
 * Route handlers that run before the resources (the rate limiter) read it with {@link #of}.
 */
@RequestScoped
public class Caller {

    private static final String KEY = "contacts.caller";

    @Inject
    CurrentVertxRequest current;

    private Verified verified;

    /** The client and its X-Domain workspace, once signature, workspace and replay checks passed. */
    public record Verified(String clientId, String workspace) {
    }

    static void verified(RoutingContext rc, String clientId, String workspace) {
        rc.put(KEY, new Verified(clientId, workspace));
    }

    /** The verified caller of this request; fails when the request did not pass authentication. */
    public static Verified of(RoutingContext rc) {
        Verified verified = rc == null ? null : rc.get(KEY);
        if (verified == null) {
            // A request that reached a resource without passing the signature check (a route the check does not
            // cover): refused as unauthenticated, never served and never a 500.
            throw new dev.awal.contacts.api.AuthenticationFailure(dev.awal.contacts.api.AuthenticationFailure.Reason.MISSING_HEADERS,
                    "This request was not authenticated");
        }
        return verified;
    }

    @PostConstruct
    void read() {
        verified = of(current.getCurrent());
    }

    public String clientId() {
        return verified.clientId();
    }

    /** The X-Domain workspace every read and write of this request is confined to. */
    public String workspace() {
        return verified.workspace();
    }
}
