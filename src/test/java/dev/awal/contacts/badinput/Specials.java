package dev.awal.contacts.badinput;

import java.util.List;

/**
 * Hostile text values. Each is either a Java string (which may hold unpaired surrogates) or raw
 * bytes that are not valid UTF-8 at all; {@link Encoding} writes them for JSON, forms and queries.
 * None contains the words the suite looks for in responses, so an echo of one can't pass for a leak.
 */
final class Specials {

    record Special(String name, String text, byte[] raw) {

        /**
         * PostgreSQL can't store it as sent (NUL, bytes that are not UTF-8, unpaired surrogates): issue 9
         * wants a 422 naming the field (400 in a query), never a 2xx that stored something else.
         */
        boolean unstorable() {
            return raw != null || text.indexOf('\u0000') >= 0 || hasLoneSurrogate(text);
        }

        private static boolean hasLoneSurrogate(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return true;
                }
            }
            return false;
        }

        byte[] bytes() {
            return raw != null ? raw : Encoding.utf8(text);
        }

        byte[] json() {
            return raw != null ? Encoding.jsonRaw(raw) : Encoding.utf8(Encoding.jsonString(text));
        }

        String percent() {
            return Encoding.percent(bytes());
        }
    }

    private static Special text(String name, String text) {
        return new Special(name, text, null);
    }

    private static Special raw(String name, int... bytes) {
        byte[] raw = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            raw[i] = (byte) bytes[i];
        }
        return new Special(name, null, raw);
    }

    static final List<Special> ALL = List.of(
            text("nul", "a\u0000b"),
            text("nul-only", "\u0000"),
            text("control-chars", "a\u0001\u0007\u001b[31mb\u007f"),
            raw("invalid-utf8", 'a', 0xC3, 0x28, 'b'),
            raw("invalid-utf8-ff", 0xFF, 0xFE, 0xFD),
            raw("utf8-continuation-only", 0x80, 0x81, 'x'),
            raw("utf8-overlong-slash", 0xC0, 0xAF),
            raw("utf8-truncated", 'a', 0xE2, 0x82),
            raw("cesu-surrogate-pair", 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80),
            raw("latin1-raw", 'J', 0xFC, 'r', 'g', 'e', 'n'),
            text("lone-high-surrogate", "a\uD800b"),
            text("lone-low-surrogate", "\uDC00"),
            text("reversed-surrogates", "\uDC00\uD800"),
            text("rtl-override", "\u202Eevil.exe\u202C \u200Fمرحبا\u200E"),
            text("emoji", "👩‍👩‍👧‍👦🇸🇦😀🧑🏽‍💻"),
            text("combining-marks", "e" + "\u0301\u0302\u0303\u0304".repeat(60)),
            text("zalgo", "Z\u0351\u0324a\u0336\u0330l\u0352\u0319g\u0335o"),
            text("zero-width-and-bom", "\uFEFF\u200B\u200D\u2060x"),
            text("noncharacters", "\uFFFE\uFFFF\uDBFF\uDFFF"),
            text("arabic-tashkeel-tatweel", "أَحْمَـــد إسلام ة ى"),
            text("arabic-indic-digits", "٠١٢٣٤٥٦٧٨٩"),
            text("whitespace-only", " \t\u00A0\u3000 "),
            text("empty", ""),
            text("like-wildcards", "%_!\\%%__"),
            text("quote-injection", "'\"; drop table contacts; --"),
            text("html", "<script>alert(1)</script>&amp;"),
            text("percent-sequences", "%00%zz%"),
            text("crlf", "a\r\nX-Injected: 1\r\n\r\nb"),
            text("long-unicode", "ب".repeat(3000)));

    private Specials() {
    }
}
