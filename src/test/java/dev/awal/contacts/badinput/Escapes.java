package dev.awal.contacts.badinput;

import java.util.HexFormat;

/** Renders request and response bytes readably in a failure report, so a failing case can be replayed. */
final class Escapes {

    private Escapes() {
    }

    /** Printable ASCII as is, everything else as \xNN; at most {@code limit} bytes, then how many were left out. */
    static String bytes(byte[] bytes, int limit) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(bytes.length, limit);
        for (int i = 0; i < shown; i++) {
            int b = bytes[i] & 0xFF;
            if (b == '\\') {
                out.append("\\\\");
            } else if (b >= 0x20 && b < 0x7F) {
                out.append((char) b);
            } else if (b == '\r') {
                out.append("\\r");
            } else if (b == '\n') {
                out.append("\\n");
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        if (bytes.length > shown) {
            out.append("… (").append(bytes.length - shown).append(" more bytes)");
        }
        return out.toString();
    }

    /** Text whose chars are bytes (ISO-8859-1), escaped the same way. */
    static String text(String text, int limit) {
        return bytes(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), limit);
    }

    static String hex(byte[] bytes, int limit) {
        int shown = Math.min(bytes.length, limit);
        return HexFormat.of().formatHex(bytes, 0, shown) + (bytes.length > shown ? "…" : "");
    }
}
