package dev.awal.contacts.ratelimit;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.ErrorResponder;
import dev.awal.contacts.observability.DomainMetrics;
import dev.awal.contacts.ratelimit.RateLimiter.Decision;
import dev.awal.contacts.api.Headers;
import dev.awal.contacts.api.RouteOrder;
import dev.awal.contacts.security.Caller;
import dev.awal.contacts.security.SignedRequestHandler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Applies the rate limits to every authenticated {@code /api/developer} request. It runs right after
 * {@link SignedRequestHandler}, which only hands on requests that passed authentication, so
 * unauthenticated traffic never spends a client's budget. The X-RateLimit headers go on the response
 * before the request is routed on, so they accompany every answer, error envelopes included.
 */
@ApplicationScoped
public class RateLimitHandler {

    private final RateLimiter limiter;
    private final ErrorResponder errors;
    private final DomainMetrics metrics;

    RateLimitHandler(RateLimiter limiter, ErrorResponder errors, DomainMetrics metrics) {
        this.limiter = limiter;
        this.errors = errors;
        this.metrics = metrics;
    }

    void register(@Observes Router router) {
        router.route(Headers.API_PREFIX + "/*").order(RouteOrder.RATE_LIMIT).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        Caller.Verified caller = Caller.of(rc);
        OperationClass operation = OperationClass.of(rc.request().method().name(),
                rc.normalizedPath().substring(Headers.API_PREFIX.length()));
        Decision now = limiter.hitNow(caller.clientId(), caller.workspace(), operation);
        if (now != null) { // counted in process: no Uni to subscribe per request
            apply(rc, now);
            return;
        }
        limiter.hit(caller.clientId(), caller.workspace(), operation).subscribe().with(decision -> apply(rc, decision), rc::fail);
    }

    private void apply(RoutingContext rc, Decision decision) {
        rc.response()
                .putHeader(Headers.RATE_LIMIT, String.valueOf(decision.limit().requests()))
                .putHeader(Headers.RATE_LIMIT_REMAINING, String.valueOf(decision.remaining()))
                .putHeader(Headers.RATE_LIMIT_RESET, String.valueOf(decision.resetEpochSecond()));
        if (decision.allowed()) {
            rc.next();
            return;
        }
        metrics.rateLimited(decision.operation().key());
        long retryAfter = decision.retryAfterSeconds(Instant.now());
        errors.send(rc, new ApiException(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit exceeded: "
                + decision.operation().description() + " is limited to " + decision.limit().describe()
                + " per client and workspace; retry in " + retryAfter + " seconds").retryAfter(retryAfter));
    }
}
