package dev.awal.contacts.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Endpoint secrets and the two signatures every delivery carries. */
final class Signatures {

    static final String PREFIX = "whsec_";
    static final String AWAL_PREVIOUS = "X-Awal-Signature-256-Previous";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Signatures() {
    }

    /** 256 random bits, as Standard Webhooks spells a secret. */
    static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    static String challenge() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Both signatures: Standard Webhooks headers and AwalChat's X-Awal-Signature-256 with X-Timestamp, keyed
     * with {@code secret}. During a rotation's overlap ({@code previous} not null) {@code webhook-signature}
     * lists a second {@code v1,} signature made with the previous secret (the specification allows several,
     * space-separated), and the previous secret's AwalChat signature goes in X-Awal-Signature-256-Previous,
     * since AwalChat receivers compare the whole X-Awal-Signature-256 value.
     */
    static Map<String, String> headers(String secret, String previous, String messageId, long timestamp, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        String standard = standard(secret, messageId, timestamp, body);
        if (previous != null) {
            standard += " " + standard(previous, messageId, timestamp, body);
        }
        headers.put("webhook-id", messageId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", standard);
        headers.put("X-Awal-Signature-256", awal(secret, timestamp, body));
        headers.put("X-Timestamp", Long.toString(timestamp));
        if (previous != null) {
            headers.put(AWAL_PREVIOUS, awal(previous, timestamp, body));
        }
        return headers;
    }

    /** Standard Webhooks: {@code v1,} base64 HMAC-SHA256 of {@code id.timestamp.body}, keyed with the decoded secret. */
    static String standard(String secret, String id, long timestamp, String body) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(secret, id + "." + timestamp + "." + body));
    }

    /** AwalChat style: {@code sha256=} hex HMAC-SHA256 of {@code timestamp.body}, same key. */
    static String awal(String secret, long timestamp, String body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret, timestamp + "." + body));
    }

    private static byte[] hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(PREFIX.length())), "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
