package dev.awal.contacts.badinput;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes test strings for each medium without "fixing" them: a lone surrogate stays a lone
 * surrogate (a JSON {@code \ud800} escape, or the 3 bytes ED A0 80 that strict UTF-8 refuses), and
 * raw bytes stay raw.
 */
final class Encoding {

    private Encoding() {
    }

    /** UTF-8, except that an unpaired surrogate becomes its 3-byte (invalid) encoding instead of '?'. */
    static byte[] utf8(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.writeBytes(text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** A JSON string literal: control characters and unpaired surrogates as \\u escapes, the rest as UTF-8 text. */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (Character.isSurrogate(c) && !paired)) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (paired) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Bytes placed verbatim between JSON quotes (only quote and backslash escaped), for invalid UTF-8. */
    static byte[] jsonRaw(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('"');
        for (byte b : raw) {
            if (b == '"' || b == '\\') {
                out.write('\\');
            }
            out.write(b);
        }
        out.write('"');
        return out.toByteArray();
    }

    /** Percent-encodes every byte except unreserved ASCII, as a form or query value. */
    static String percent(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte value : bytes) {
            int b = value & 0xFF;
            if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '.'
                    || b == '_' || b == '~') {
                out.append((char) b);
            } else {
                out.append(String.format("%%%02X", b));
            }
        }
        return out.toString();
    }

    static String percent(String text) {
        return percent(utf8(text));
    }

    /** {@code bytes} with the first occurrence of {@code target} replaced by {@code replacement}. */
    static byte[] replace(byte[] bytes, byte[] target, byte[] replacement) {
        for (int i = 0; i + target.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + target.length, target, 0, target.length)) {
                return concat(java.util.Arrays.copyOf(bytes, i), replacement,
                        java.util.Arrays.copyOfRange(bytes, i + target.length, bytes.length));
            }
        }
        throw new IllegalArgumentException("target not found");
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** The UTF-8 bytes of {@code text} as one char per byte, for request lines and headers (written as ISO-8859-1). */
    static String latin1(String text) {
        return new String(utf8(text), StandardCharsets.ISO_8859_1);
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
