package dev.awal.contacts.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests as a real client does (contract §6): HMAC-SHA256 over
 * METHOD + PATH + QUERY + TIMESTAMP + BODY with a fresh timestamp each time. Not thread-safe:
 * one per event loop.
 */
final class Signer {

    static final String PREFIX = "/api/developer";

    private final Mac mac;

    Signer(String secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param uri the request URI under {@link #PREFIX}, query included */
    String sign(String method, String uri, String timestamp, byte[] body) {
        mac.update(method.getBytes(StandardCharsets.UTF_8));
        mac.update(uri.substring(PREFIX.length()).getBytes(StandardCharsets.UTF_8));
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            mac.update(body);
        }
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal());
    }
}
