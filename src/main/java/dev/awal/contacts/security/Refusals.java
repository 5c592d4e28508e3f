package dev.awal.contacts.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.AuthenticationFailure;
import dev.awal.contacts.api.ErrorResponder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a request that the body reader or the signature check refuses before it is routed. An
 * authentication failure is announced as a CDI event (the metrics count it) so this package does
 * not depend on the metrics.
 */
@ApplicationScoped
class Refusals {

    /** After an early answer, how much more of a body is read (and dropped) before the connection is cut. */
    private static final long MAX_DISCARD_BYTES = 16L * 1024 * 1024;
    private static final long MAX_DISCARD_MILLIS = 10_000;

    private final ErrorResponder errors;
    private final Vertx vertx;
    private final Event<AuthenticationFailure> refused;

    Refusals(ErrorResponder errors, Vertx vertx, Event<AuthenticationFailure> refused) {
        this.errors = errors;
        this.vertx = vertx;
        this.refused = refused;
    }

    /** Answers at once; when a body may still be arriving, the connection is closed rather than reused. */
    void reject(RoutingContext rc, ApiException failure) {
        if (failure instanceof AuthenticationFailure authentication) {
            refused.fire(authentication);
        }
        HttpServerRequest request = rc.request();
        if (!request.isEnded()) {
            rc.response().putHeader("Connection", "close");
            discardRestThenClose(rc);
        }
        errors.send(rc, failure);
    }

    /**
     * Many clients read the answer only after sending their whole body, and a connection closed under
     * them hides the answer behind a reset. So what still arrives is dropped as it comes (never buffered
     * or stored), up to a bound in bytes and time, and the connection is closed once both sides are done.
     */
    private void discardRestThenClose(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        boolean[] answered = { false };
        boolean[] bodyDone = { false };
        long[] discarded = { 0 };
        long deadline = vertx.setTimer(MAX_DISCARD_MILLIS, t -> request.connection().close());
        Runnable closeWhenDone = () -> {
            if (answered[0] && bodyDone[0]) {
                vertx.cancelTimer(deadline);
                request.connection().close();
            }
        };
        // addEndHandler, not response().endHandler(): that would replace the handlers that delete temp files.
        rc.addEndHandler(v -> {
            answered[0] = true;
            closeWhenDone.run();
        });
        request.handler(chunk -> {
            discarded[0] += chunk.length();
            if (discarded[0] > MAX_DISCARD_BYTES && !bodyDone[0]) {
                bodyDone[0] = true;
                closeWhenDone.run();
            }
        });
        request.endHandler(v -> {
            bodyDone[0] = true;
            closeWhenDone.run();
        });
        request.exceptionHandler(e -> request.connection().close());
        request.resume();
    }
}
