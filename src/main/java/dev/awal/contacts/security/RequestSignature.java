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
 * {@code /api/developer} prefix, the query with its {@code ?}), sent as {@code sha256=<hex>}.
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

    private final List<Mac> macs;

    /** Starts the HMACs of every secret with the signed prefix (method, path, query, timestamp). */
    public RequestSignature(List<String> secrets, String method, String path, String query, String timestamp) {
        this.macs = secrets.stream().map(RequestSignature::hmac).toList();
        byte[] prefix = stringToSign(method, path, query, timestamp).getBytes(StandardCharsets.UTF_8);
        macs.forEach(mac -> mac.update(prefix));
    }

    /** What is signed before the body; {@code path} without the API prefix, {@code query} null when absent. */
    public static String stringToSign(String method, String path, String query, String timestamp) {
        return method + path + (query == null ? "" : "?" + query) + timestamp;
    }

    /** Feeds a chunk of the body to every HMAC. */
    public void update(ByteBuffer chunk) {
        for (Mac mac : macs) {
            mac.update(chunk.duplicate());
        }
    }

    /** Whether any secret produced {@code claimed}; every secret is compared, in constant time. Call once. */
    public boolean matches(byte[] claimed) {
        boolean matches = false;
        for (Mac mac : macs) {
            matches |= MessageDigest.isEqual(mac.doFinal(), claimed);
        }
        return matches;
    }

    /** The X-Timestamp value as unix seconds, refused when malformed or further than the window from now. */
    public static long timestamp(String header, long nowEpochSecond, long windowSeconds) {
        if (header.isEmpty() || header.length() > 12 || !allMatch(header, 0, c -> c >= '0' && c <= '9')) {
            throw new AuthenticationFailure(Reason.BAD_TIMESTAMP, "X-Timestamp must be unix seconds");
        }
        long timestamp = Long.parseLong(header);
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
     * A fresh HMAC for one request. Looking the algorithm up and deriving the key pads cost more than
     * the hashing of a small request, so each thread keeps one keyed instance per secret and every
     * request gets a copy of it (a request's body may arrive over several event-loop turns, with other
     * requests in between, so the instance itself is never shared).
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
