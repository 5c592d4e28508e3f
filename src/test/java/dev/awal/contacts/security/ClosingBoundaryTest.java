package dev.awal.contacts.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The close delimiter of a multipart body, found however the body is chunked, and only at the start of a line. */
class ClosingBoundaryTest {

    private static final String PART = "--b-b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n"
            + "content --b-b-- inside a line\r\n--b-b-\r\n-b-b--\r\n";

    private static boolean closed(String body, int chunkSize) {
        ClosingBoundary closing = new ClosingBoundary("b-b");
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i += chunkSize) {
            closing.update(ByteBuffer.wrap(bytes, i, Math.min(chunkSize, bytes.length - i)));
        }
        return closing.seen();
    }

    @Test
    void findsTheCloseDelimiterHoweverTheBodyIsChunked() {
        for (int chunkSize : new int[] { 1, 2, 3, 7, 1000 }) {
            assertTrue(closed(PART + "--b-b--\r\n", chunkSize), "chunks of " + chunkSize);
            assertTrue(closed(PART + "--b-b--", chunkSize), "chunks of " + chunkSize);
            assertTrue(closed(PART + "--b-b--\r\nepilogue", chunkSize), "chunks of " + chunkSize);
            assertFalse(closed(PART, chunkSize), "chunks of " + chunkSize);
            assertFalse(closed(PART + "--b-b-", chunkSize), "chunks of " + chunkSize);
            assertFalse(closed(PART + "--b-b\r\n", chunkSize), "chunks of " + chunkSize);
        }
    }

    @Test
    void acceptsWhatTheDecoderAccepts() {
        assertTrue(closed("--b-b--\r\n", 4), "no parts: the close delimiter opens the body");
        assertTrue(closed(PART.replace("\r\n", "\n") + "--b-b--\n", 5), "LF line ends");
        assertFalse(closed("preamble --b-b--", 4), "not at the start of a line");
    }
}
