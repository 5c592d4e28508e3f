package dev.awal.contacts.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Watches a multipart body as it streams in for its close delimiter: {@code --boundary--} at the start of a
 * line (RFC 2046). Netty's decoder neither ends nor fails a file part that the body stops inside, so a body
 * without it must be refused by whoever reads the body, or the request waits for that part until the idle
 * timeout. Like the decoder, a line may end in LF alone; the start of the body counts as the start of a line.
 */
final class ClosingBoundary {

    /** {@code \n--boundary--}, searched for with Knuth-Morris-Pratt: one pass, nothing kept between chunks. */
    private final byte[] pattern;
    private final int[] fallback;
    private int matched = 1;
    private boolean seen;

    ClosingBoundary(String boundary) {
        pattern = ("\n--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1);
        fallback = new int[pattern.length];
        for (int i = 1, k = 0; i < pattern.length; i++) {
            while (k > 0 && pattern[i] != pattern[k]) {
                k = fallback[k - 1];
            }
            if (pattern[i] == pattern[k]) {
                k++;
            }
            fallback[i] = k;
        }
    }

    /** Feeds the next chunk of the body. */
    void update(ByteBuffer chunk) {
        for (int i = chunk.position(); i < chunk.limit() && !seen; i++) {
            byte b = chunk.get(i);
            while (matched > 0 && pattern[matched] != b) {
                matched = fallback[matched - 1];
            }
            if (pattern[matched] == b) {
                matched++;
            }
            seen = matched == pattern.length;
        }
    }

    /** Whether the close delimiter has gone by: the body is complete (anything after it is epilogue). */
    boolean seen() {
        return seen;
    }
}
