package dev.awal.contacts.media;

import static dev.awal.contacts.media.TestMedia.ascii;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaInspectorTest {

    private static final Set<MediaType> ALL = EnumSet.allOf(MediaType.class);
    private static final Set<MediaType> IMAGES = EnumSet.of(MediaType.JPEG, MediaType.PNG);
    private static final long LIMIT = 40_000_000;
    private static final String UNRECOGNISED = "file is not a JPEG, PNG or PDF (unrecognised signature)";
    private static final byte[] PDF = ascii("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");

    @TempDir
    Path dir;

    @Test
    void detectsJpegAndItsSize() throws IOException {
        assertEquals(new MediaInfo(MediaType.JPEG, 37, 23), inspect("photo.jpg", TestMedia.jpeg(37, 23)));
    }

    @Test
    void detectsJpegCarryingExif() throws IOException {
        byte[] jpeg = TestMedia.jpeg(40, 20);
        byte[] withExif = TestMedia.insert(jpeg, TestMedia.jpegApp0End(jpeg), TestMedia.exifApp1("SN-1"));

        assertEquals(new MediaInfo(MediaType.JPEG, 40, 20), inspect("photo.jpg", withExif));
    }

    @Test
    void detectsPngAndItsSize() throws IOException {
        assertEquals(new MediaInfo(MediaType.PNG, 41, 17), inspect("picture.png", TestMedia.png(41, 17)));
    }

    @Test
    void typeComesFromContentNotName() throws IOException {
        assertEquals(new MediaInfo(MediaType.PNG, 12, 34), inspect("disguised.jpg", TestMedia.png(12, 34)));
    }

    @Test
    void acceptsPdfWhenAllowed() throws IOException {
        assertEquals(new MediaInfo(MediaType.PDF, 0, 0), MediaInspector.inspect(write("doc.pdf", PDF), ALL, LIMIT));
    }

    @Test
    void rejectsPdfWhenOnlyImagesAllowed() {
        assertRejected("PDF files are not accepted; allowed types: JPEG, PNG", PDF, IMAGES);
    }

    @Test
    void rejectsImageTypeNotAllowed() {
        assertRejected("PNG files are not accepted; allowed types: JPEG", TestMedia.png(8, 8), Set.of(MediaType.JPEG));
    }

    @Test
    void rejectsHtml() {
        assertRejected(UNRECOGNISED, ascii("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"));
    }

    @Test
    void rejectsGif() {
        assertRejected(UNRECOGNISED, TestMedia.encode(TestMedia.picture(8, 8), "gif"));
    }

    @Test
    void rejectsRandomBytes() {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        assertRejected(UNRECOGNISED, noise);
    }

    @Test
    void rejectsEmptyFile() {
        assertRejected("file is empty", new byte[0]);
    }

    @Test
    void rejectsJpegCutInHalf() {
        byte[] jpeg = TestMedia.jpeg(64, 64);
        assertRejectedMentioning("truncated", Arrays.copyOf(jpeg, jpeg.length / 2));
    }

    @Test
    void rejectsJpegCutBeforeFrameHeader() {
        byte[] jpeg = TestMedia.jpeg(64, 64);
        assertRejected("JPEG is truncated: no SOF segment before end of data",
                Arrays.copyOf(jpeg, TestMedia.jpegApp0End(jpeg)));
    }

    @Test
    void rejectsJpegWithMarkerSignatureOnly() {
        assertRejectedMentioning("JPEG is corrupt", TestMedia.concat(new byte[] {(byte) 0xFF, (byte) 0xD8,
                (byte) 0xFF, (byte) 0xE0, 0, 16}, ascii("<html>not really a jpeg</html>")));
    }

    @Test
    void rejectsPngCutInHalf() {
        byte[] png = TestMedia.png(64, 64);
        assertRejectedMentioning("truncated", Arrays.copyOf(png, png.length / 2));
    }

    @Test
    void rejectsPngWithoutIhdr() {
        assertRejected("PNG is truncated: IHDR chunk missing", Arrays.copyOf(TestMedia.png(8, 8), 20));
    }

    @Test
    void rejectsPngWithDamagedIhdr() {
        byte[] png = TestMedia.png(8, 8);
        png[19] ^= 0x01; // width changes, CRC no longer matches
        assertRejected("PNG is corrupt: IHDR checksum mismatch", png);
    }

    @Test
    void rejectsPngWithDataAfterIend() {
        assertRejected("PNG is corrupt: unexpected data after the IEND chunk",
                TestMedia.concat(TestMedia.png(8, 8), ascii("<?php echo 1; ?>")));
    }

    @Test
    void rejectsPngDeclaringTooManyPixels() {
        byte[] bomb = TestMedia.withPngSize(TestMedia.png(16, 16), 10_000, 10_000);
        assertRejected("image is 10000x10000 (100.0 megapixels); the limit is 40 megapixels", bomb);
    }

    @Test
    void rejectsJpegDeclaringTooManyPixels() {
        byte[] bomb = TestMedia.withJpegSize(TestMedia.jpeg(16, 16), 9000, 9000);
        assertRejected("image is 9000x9000 (81.0 megapixels); the limit is 40 megapixels", bomb);
    }

    @Test
    void pixelLimitIsInclusive() throws IOException {
        Path png = write("limit.png", TestMedia.png(20, 10));

        assertEquals(new MediaInfo(MediaType.PNG, 20, 10), MediaInspector.inspect(png, ALL, 200));
        InvalidMediaException error = assertThrows(InvalidMediaException.class,
                () -> MediaInspector.inspect(png, ALL, 199));
        assertTrue(error.getMessage().startsWith("image is 20x10 "), error.getMessage());
    }

    @Test
    void rejectsPngDeclaringZeroPixels() {
        assertRejected("PNG header declares 0x0 pixels", TestMedia.withPngSize(TestMedia.png(16, 16), 0, 0));
    }

    @Test
    void rejectsJpegDeclaringZeroPixels() {
        assertRejected("JPEG header declares 0x0 pixels", TestMedia.withJpegSize(TestMedia.jpeg(16, 16), 0, 0));
    }

    private MediaInfo inspect(String fileName, byte[] content) throws IOException {
        return MediaInspector.inspect(write(fileName, content), ALL, LIMIT);
    }

    private void assertRejected(String expectedMessage, byte[] content) {
        assertRejected(expectedMessage, content, ALL);
    }

    private void assertRejected(String expectedMessage, byte[] content, Set<MediaType> allowed) {
        assertEquals(expectedMessage, rejection(content, allowed).getMessage());
    }

    private void assertRejectedMentioning(String expectedFragment, byte[] content) {
        String message = rejection(content, ALL).getMessage();
        assertTrue(message.contains(expectedFragment), message);
    }

    private InvalidMediaException rejection(byte[] content, Set<MediaType> allowed) {
        Path file = write("upload.bin", content);
        return assertThrows(InvalidMediaException.class, () -> MediaInspector.inspect(file, allowed, LIMIT));
    }

    private Path write(String fileName, byte[] content) {
        try {
            return Files.write(dir.resolve(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
