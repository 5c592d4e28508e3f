package dev.awal.contacts.security;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.awal.contacts.api.AuthenticationFailure;
import dev.awal.contacts.sharedstate.SharedState;
import io.smallrye.mutiny.Uni;

/**
 * Remembers accepted write signatures for as long as their timestamp stays inside the window, so
 * the same signed write cannot be played twice — to this replica or, through {@link SharedState}
 * in Redis, to any other.
 */
@ApplicationScoped
public class ReplayGuard {

    private final AuthConfig config;
    private final SharedState state;

    public ReplayGuard(AuthConfig config, SharedState state) {
        this.config = config;
        this.state = state;
    }

    /**
     * Records the signature; fails with 401 when it was already recorded or its timestamp has left the window.
     *
     * @param timestamp the request's signed timestamp (epoch seconds)
     */
    public Uni<Void> refuseReplay(String clientId, String signatureHex, long timestamp) {
        long window = config.timestampWindow().toSeconds();
        long now = Instant.now().getEpochSecond();
        // A signature stays replayable until its timestamp leaves the window, so it is remembered until then. One
        // whose window has passed by now (a slow rate-limit check) is refused rather than remembered for a moment:
        // the entry of the write it may copy could already be gone.
        try {
            RequestSignature.requireInWindow(timestamp, now, window);
        } catch (AuthenticationFailure e) {
            return Uni.createFrom().failure(e);
        }
        Duration ttl = Duration.ofSeconds(timestamp + window + 1 - now);
        return state.rememberOnce("replay:" + clientId + ':' + signatureHex, ttl)
                .onItem().transformToUni(first -> first ? Uni.createFrom().voidItem() : Uni.createFrom().failure(
                        new AuthenticationFailure(AuthenticationFailure.Reason.REPLAY, "Replayed request: this signature was "
                                + "already used; sign each write with a fresh timestamp")));
    }
}
