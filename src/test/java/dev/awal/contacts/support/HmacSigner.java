package dev.awal.contacts.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/**
 * Signs a REST Assured request exactly as an AwalChat client does (contract §6): HMAC-SHA256 over
 * METHOD + PATH (without /api/developer) + ?QUERY + TIMESTAMP + raw BODY. Bodies must be given as
 * String or byte[] (see {@link Bodies}) so the signed bytes are the bytes sent.
 */
public final class HmacSigner implements Filter {

    private final String clientId;
    private final String secret;
    private final String workspace;
    private final long timestampOffsetSeconds;

    public HmacSigner(String clientId, String secret, String workspace, long timestampOffsetSeconds) {
        this.clientId = clientId;
        this.secret = secret;
        this.workspace = workspace;
        this.timestampOffsetSeconds = timestampOffsetSeconds;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
            FilterContext context) {
        URI uri = URI.create(request.getURI());
        String timestamp = String.valueOf(Instant.now().getEpochSecond() + timestampOffsetSeconds);
        byte[] body = bodyBytes(request.getBody());
        request.header("X-Timestamp", timestamp);
        request.header("X-Client-ID", clientId);
        request.header("X-Domain", workspace);
        request.header("X-Awal-Signature-256", "sha256=" + sign(secret, request.getMethod(), uri.getRawPath(),
                uri.getRawQuery(), timestamp, body));
        return context.next(request, response);
    }

    public static String sign(String secret, String method, String rawPath, String rawQuery, String timestamp,
            byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String path = rawPath.substring("/api/developer".length());
            mac.update((method + path + (rawQuery == null ? "" : "?" + rawQuery) + timestamp)
                    .getBytes(StandardCharsets.UTF_8));
            mac.update(body);
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bodyBytes(Object body) {
        if (body == null) {
            return new byte[0];
        }
        if (body instanceof byte[] bytes) {
            return bytes;
        }
        if (body instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        throw new IllegalArgumentException("Signed test requests need a String or byte[] body, got " + body.getClass());
    }
}
