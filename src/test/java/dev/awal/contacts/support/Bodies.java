package dev.awal.contacts.support;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Builds form bodies as bytes, so a test signs exactly what it sends (REST Assured's own form
 * and multipart encoders build the bytes too late for a signing filter to see them).
 */
public final class Bodies {

    private Bodies() {
    }

    public static String urlencoded(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public static Multipart multipart() {
        return new Multipart();
    }

    /** A multipart/form-data body with text fields and file parts. */
    public static final class Multipart {
        private final String boundary = "----contacts-test-" + UUID.randomUUID();
        private final Map<String, String> fields = new LinkedHashMap<>();
        private final ByteArrayOutputStream files = new ByteArrayOutputStream();

        public Multipart field(String name, String value) {
            fields.put(name, value);
            return this;
        }

        public Multipart file(String name, String fileName, String contentType, byte[] content) {
            write(files, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                    + fileName + "\"\r\nContent-Type: " + contentType + "\r\n\r\n");
            files.writeBytes(content);
            write(files, "\r\n");
            return this;
        }

        public String contentType() {
            return "multipart/form-data; boundary=" + boundary;
        }

        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            fields.forEach((name, value) -> write(out, "--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"));
            out.writeBytes(files.toByteArray());
            write(out, "--" + boundary + "--\r\n");
            return out.toByteArray();
        }

        private static void write(ByteArrayOutputStream out, String text) {
            out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
