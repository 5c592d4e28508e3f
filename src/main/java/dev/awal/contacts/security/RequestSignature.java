package dev.awal.contacts.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.awal.contacts.api.AuthenticationFailure;
import dev.awal.contacts.api.AuthenticationFailure.Reason;

/**
 * The request signature of README "A signed request", without HTTP: HMAC-SHA256 with one
 * of the client's secrets over {@code METHOD + PATH + QUERY + TIMESTAMP + BODY} (the path without the
 * {@code /api/developer} prefix, the query with its {@code ?}; a bare {@code ?} may be left out), sent as
 * {@code sha256=<hex>}.
 * <p>
 * The body is fed in as it streams ({@link #update}); {@link #matches} then compares against every
 * secret of the client in constant time, so a rotated secret keeps working and timing reveals nothing.
 * One instance serves one request and is used from one thread.
 */
public final class RequestSignature {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";

    /** Per thread, one keyed HMAC per secret (secrets come from configuration, so the map stays small). */
    private static final ThreadLocal<Map<String, Mac>> KEYED = ThreadLocal.withInitial(HashMap::new);

    private final List<String> secrets;
    /**
     * What may have been signed before the body: one string, or two for a bare {@code ?} (an empty query), which
     * clients sign or leave out as their URL API has it (JavaScript's {@code url.search} is "" for it).
     */
    private final byte[][] prefixes;
    /** One running HMAC per secret and prefix, started by a body's first chunk; a request without one needs none. */
    private Mac[] macs;

    /** Keeps what is signed before the body (method, path, query, timestamp) for the HMACs of every secret. */
    public RequestSignature(List<String> secrets, String method, String path, String query, String timestamp) {
        this.secrets = secrets;
        byte[] prefix = stringToSign(method, path, query, timestamp).getBytes(StandardCharsets.UTF_8);
        this.prefixes = query == null || !query.isEmpty() ? new byte[][] { prefix }
                : new byte[][] { prefix, stringToSign(method, path, null, timestamp).getBytes(StandardCharsets.UTF_8) };
    }

    /** What is signed before the body; {@code path} without the API prefix, {@code query} null when absent. */
    public static String stringToSign(String method, String path, String query, String timestamp) {
        return method + path + (query == null ? "" : "?" + query) + timestamp;
    }

    /** Feeds a chunk of the body to every HMAC. */
    public void update(ByteBuffer chunk) {
        if (macs == null) {
            macs = new Mac[secrets.size() * prefixes.length];
            for (int i = 0; i < macs.length; i++) {
                macs[i] = hmac(secrets.get(i / prefixes.length));
                macs[i].update(prefixes[i % prefixes.length]);
            }
        }
        for (Mac mac : macs) {
            mac.update(chunk.duplicate());
        }
    }

    /** Whether any secret produced {@code claimed}; every one is compared, in constant time. Call once. */
    public boolean matches(byte[] claimed) {
        boolean matches = false;
        for (int i = 0; i < secrets.size() * prefixes.length; i++) {
            byte[] computed = macs != null ? macs[i].doFinal()
                    : withoutBody(secrets.get(i / prefixes.length), prefixes[i % prefixes.length]);
            matches |= MessageDigest.isEqual(computed, claimed);
        }
        return matches;
    }

    /**
     * The HMAC of a request without a body (nearly every read), computed in one call on the thread's own
     * keyed instance: nothing else can use it in between, and doFinal leaves it keyed for the next request.
     */
    private static byte[] withoutBody(String secret, byte[] prefix) {
        Mac keyed = KEYED.get().computeIfAbsent(secret, RequestSignature::keyed);
        keyed.reset();
        keyed.update(prefix);
        return keyed.doFinal();
    }

    /** The X-Timestamp value as unix seconds, refused when malformed or further than the window from now. */
    public static long timestamp(String header, long nowEpochSecond, long windowSeconds) {
        if (header.isEmpty() || header.length() > 12 || !allMatch(header, 0, c -> c >= '0' && c <= '9')) {
            throw new AuthenticationFailure(Reason.BAD_TIMESTAMP, "X-Timestamp must be unix seconds");
        }
        return requireInWindow(Long.parseLong(header), nowEpochSecond, windowSeconds);
    }

    /** The timestamp (unix seconds), refused when it is further than the window from now. */
    public static long requireInWindow(long timestamp, long nowEpochSecond, long windowSeconds) {
        if (Math.abs(nowEpochSecond - timestamp) > windowSeconds) {
            throw new AuthenticationFailure(Reason.STALE_TIMESTAMP, "Request timestamp is outside the allowed window of "
                    + windowSeconds + " seconds; check the client's clock");
        }
        return timestamp;
    }

    /** The HMAC bytes an X-Awal-Signature-256 value claims, refused unless it reads sha256=&lt;64 hex digits&gt;. */
    public static byte[] claimed(String header) {
        if (header.length() != PREFIX.length() + 64 || !header.startsWith(PREFIX)
                || !allMatch(header, PREFIX.length(), HexFormat::isHexDigit)) {
            throw new AuthenticationFailure(Reason.BAD_SIGNATURE, "X-Awal-Signature-256 must be sha256=<64 hex digits>");
        }
        return HexFormat.of().parseHex(header, PREFIX.length(), header.length());
    }

    /** Checked by hand rather than by a regex: this runs on every request. */
    private static boolean allMatch(String value, int from, java.util.function.IntPredicate test) {
        for (int i = from; i < value.length(); i++) {
            if (!test.test(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A fresh HMAC for one request with a body. Looking the algorithm up and deriving the key pads cost
     * more than the hashing of a small request, so each thread keeps one keyed instance per secret and
     * every such request gets a copy of it (a body may arrive over several event-loop turns, with other
     * requests in between, so the instance itself is never left half-fed).
     */
    private static Mac hmac(String secret) {
        Mac keyed = KEYED.get().computeIfAbsent(secret, RequestSignature::keyed);
        try {
            return (Mac) keyed.clone();
        } catch (CloneNotSupportedException e) {
            return keyed(secret);
        }
    }

    private static Mac keyed(String secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is unavailable", e);
        }
    }
}
