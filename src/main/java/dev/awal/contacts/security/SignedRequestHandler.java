package dev.awal.contacts.security;

import static dev.awal.contacts.api.Headers.API_PREFIX;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.awal.contacts.api.ApiException;
import dev.awal.contacts.api.AuthenticationFailure;
import dev.awal.contacts.api.AuthenticationFailure.Reason;
import dev.awal.contacts.api.ErrorCode;
import dev.awal.contacts.api.Headers;
import dev.awal.contacts.api.RouteOrder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Authenticates every {@code /api/developer} request (README "A signed request") before it is routed,
 * in two steps around the {@link BodyReader}: the headers are checked before a byte of the body is
 * read, and the timestamp again, the signature and the workspace once the body is in; then the verified
 * {@link Caller} is put on the request and the request handed on. A write's signature is recorded in the
 * replay cache after the rate limit ({@link RouteOrder#REPLAY}), so only writes within their budget are
 * remembered.
 */
@ApplicationScoped
public class SignedRequestHandler {

    private static final Logger LOG = Logger.getLogger(SignedRequestHandler.class);
    private static final String CLAIM = "contacts.signature-claim";
    private static final String VERIFIED_WRITE = "contacts.verified-write";
    private static final List<String> REQUIRED = List.of(Headers.SIGNATURE, Headers.TIMESTAMP, Headers.DOMAIN,
            Headers.CLIENT_ID);
    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    private final AuthConfig config;
    private final ReplayGuard replayGuard;
    private final Refusals refusals;

    SignedRequestHandler(AuthConfig config, ReplayGuard replayGuard, Refusals refusals) {
        this.config = config;
        this.replayGuard = replayGuard;
        this.refusals = refusals;
    }

    void register(@Observes Router router) {
        router.route(API_PREFIX + "/*").order(RouteOrder.AUTHENTICATION).handler(this::checkHeaders);
        router.route(API_PREFIX + "/*").order(RouteOrder.VERIFICATION).handler(this::verify);
        var replay = router.route(API_PREFIX + "/*").order(RouteOrder.REPLAY);
        WRITES.forEach(replay::method);
        replay.handler(this::refuseReplay);
    }

    /** What the headers claim, kept on the request until the body is in. */
    private record Claim(String clientId, AuthConfig.Client client, String workspace, long timestamp,
            byte[] signature, RequestSignature computed) {
    }

    void checkHeaders(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        request.pause();
        Claim claim;
        try {
            claim = claim(request);
        } catch (ApiException e) {
            refusals.reject(rc, e);
            return;
        }
        rc.put(CLAIM, claim);
        BodyReader.observe(rc, claim.computed()::update);
        rc.next();
    }

    private Claim claim(HttpServerRequest request) {
        Map<String, Object> missing = null;
        for (String name : REQUIRED) {
            String value = request.getHeader(name);
            if (value == null || value.isBlank()) {
                missing = missing == null ? new LinkedHashMap<>() : missing;
                missing.put(name, "header is required");
            }
        }
        if (missing != null) {
            throw new AuthenticationFailure(Reason.MISSING_HEADERS, "Missing authentication headers: "
                    + String.join(", ", missing.keySet()), missing);
        }
        String clientId = request.getHeader(Headers.CLIENT_ID).trim();
        AuthConfig.Client client = config.clients().get(clientId);
        if (client == null) {
            throw new AuthenticationFailure(Reason.UNKNOWN_CLIENT, "Unknown client");
        }
        String timestampHeader = request.getHeader(Headers.TIMESTAMP).trim();
        long timestamp = RequestSignature.timestamp(timestampHeader, Instant.now().getEpochSecond(),
                config.timestampWindow().toSeconds());
        byte[] signature = RequestSignature.claimed(request.getHeader(Headers.SIGNATURE).trim());
        RequestSignature computed = new RequestSignature(client.secrets(), request.method().name(),
                request.path().substring(API_PREFIX.length()), request.query(), timestampHeader);
        return new Claim(clientId, client, request.getHeader(Headers.DOMAIN).trim(), timestamp, signature, computed);
    }

    void verify(RoutingContext rc) {
        Claim claim = rc.remove(CLAIM);
        try {
            // Again now that the body is in: a body trickled in past the window would otherwise be accepted after
            // the replay entry of the write it copies (kept only while the timestamp is in the window) expired.
            RequestSignature.requireInWindow(claim.timestamp(), Instant.now().getEpochSecond(),
                    config.timestampWindow().toSeconds());
            if (!claim.computed().matches(claim.signature())) {
                throw new AuthenticationFailure(Reason.BAD_SIGNATURE,
                        "Signature mismatch: sign METHOD + PATH + QUERY + TIMESTAMP + BODY with your secret");
            }
            if (!claim.client().workspaces().contains(claim.workspace())) {
                throw new AuthenticationFailure(Reason.FORBIDDEN_WORKSPACE, "This client may not access workspace '"
                        + claim.workspace() + "'");
            }
        } catch (ApiException e) {
            refusals.reject(rc, e);
            return;
        }
        Caller.verified(rc, claim.clientId(), claim.workspace());
        if (WRITES.contains(rc.request().method())) {
            rc.put(VERIFIED_WRITE, claim);
        }
        rc.next();
    }

    /** Records a verified write's signature (reads are not replay-checked and do not pass here). */
    void refuseReplay(RoutingContext rc) {
        Claim claim = rc.remove(VERIFIED_WRITE);
        if (claim == null) {
            rc.next();
            return;
        }
        replayGuard.refuseReplay(claim.clientId(), HexFormat.of().formatHex(claim.signature()), claim.timestamp())
                .subscribe().with(accepted -> rc.next(), failure -> refusals.reject(rc, unchecked(failure)));
    }

    private static ApiException unchecked(Throwable cause) {
        if (cause instanceof ApiException e) {
            return e;
        }
        LOG.error("The replay check failed", cause);
        return new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "The request could not be checked; retry shortly");
    }
}
