package dev.awal.contacts.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

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
    private static final Pattern FORMAT = Pattern.compile("sha256=[0-9a-fA-F]{64}");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,12}");

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
        if (!DIGITS.matcher(header).matches()) {
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
        if (!FORMAT.matcher(header).matches()) {
            throw new AuthenticationFailure(Reason.BAD_SIGNATURE, "X-Awal-Signature-256 must be sha256=<64 hex digits>");
        }
        return HexFormat.of().parseHex(header, "sha256=".length(), header.length());
    }

    private static Mac hmac(String secret) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is unavailable", e);
        }
    }
}
