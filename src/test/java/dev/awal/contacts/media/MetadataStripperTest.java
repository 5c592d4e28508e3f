package dev.awal.contacts.media;

import static dev.awal.contacts.media.TestMedia.APP0;
import static dev.awal.contacts.media.TestMedia.APP1;
import static dev.awal.contacts.media.TestMedia.APP13;
import static dev.awal.contacts.media.TestMedia.APP14;
import static dev.awal.contacts.media.TestMedia.APP2;
import static dev.awal.contacts.media.TestMedia.COM;
import static dev.awal.contacts.media.TestMedia.DQT;
import static dev.awal.contacts.media.TestMedia.SOF0;
import static dev.awal.contacts.media.TestMedia.SOS;
import static dev.awal.contacts.media.TestMedia.ascii;
import static dev.awal.contacts.media.TestMedia.concat;
import static dev.awal.contacts.media.TestMedia.contains;
import static dev.awal.contacts.media.TestMedia.jpegSegment;
import static dev.awal.contacts.media.TestMedia.pngChunk;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataStripperTest {

    private static final String CAMERA_SERIAL = "SN-CAM-4711-0815";
    private static final String COMMENT = "Shot at home by Jane Doe";

    @TempDir
    Path dir;

    @Test
    void jpegLosesExifXmpAndCommentsButKeepsItsPixels() throws IOException {
        byte[] clean = TestMedia.jpeg(96, 64);
        byte[] tagged = TestMedia.insert(clean, TestMedia.jpegApp0End(clean),
                TestMedia.exifApp1(CAMERA_SERIAL), TestMedia.xmpApp1(), jpegSegment(COM, ascii(COMMENT)));
        assertTrue(TestMedia.jpegMarkersBeforeScan(tagged).containsAll(List.of(APP1, COM)));
        assertTrue(contains(tagged, ascii("Exif")) && contains(tagged, ascii(CAMERA_SERIAL)));

        byte[] stripped = strip(MediaType.JPEG, tagged);

        List<Integer> markers = TestMedia.jpegMarkersBeforeScan(stripped);
        assertFalse(markers.contains(APP1), "APP1 left in " + markers);
        assertFalse(markers.contains(COM), "COM left in " + markers);
        assertFalse(contains(stripped, ascii("Exif")));
        assertFalse(contains(stripped, ascii(CAMERA_SERIAL)));
        assertFalse(contains(stripped, ascii("GPSLatitude")));
        assertFalse(contains(stripped, ascii(COMMENT)));
        assertArrayEquals(clean, stripped, "only the inserted segments may be removed");
        assertArrayEquals(TestMedia.pixels(tagged), TestMedia.pixels(stripped));
    }

    @Test
    void strippedJpegStillPassesInspection() throws IOException {
        byte[] tagged = TestMedia.insert(TestMedia.jpeg(50, 30), 2, TestMedia.exifApp1(CAMERA_SERIAL));
        Path stripped = dir.resolve("stripped.jpg");
        Files.write(stripped, strip(MediaType.JPEG, tagged));

        assertEquals(new MediaInfo(MediaType.JPEG, 50, 30),
                MediaInspector.inspect(stripped, EnumSet.allOf(MediaType.class), 40_000_000));
    }

    @Test
    void jpegKeepsColourSegmentsAndCopiesScanDataVerbatim() throws IOException {
        byte[] jfif = jpegSegment(APP0, concat(ascii("JFIF\0"), new byte[] {1, 2, 0, 0, 1, 0, 1, 0, 0}));
        byte[] icc = jpegSegment(APP2, concat(ascii("ICC_PROFILE\0"), new byte[] {1, 1, 0x42, 0x42}));
        byte[] adobe = jpegSegment(APP14, concat(ascii("Adobe"), new byte[] {0, 100, 0, 0, 0, 0, 1}));
        byte[] dqt = jpegSegment(DQT, new byte[65]);
        byte[] sof = jpegSegment(SOF0, new byte[] {8, 0, 16, 0, 16, 1, 1, 0x11, 0});
        // scan data: a stuffed FF00, a restart marker and bytes that would look like APP1/COM outside a scan
        byte[] scan = concat(jpegSegment(SOS, new byte[] {1, 1, 0, 0, 0x3F, 0}),
                new byte[] {0x12, (byte) 0xFF, 0, 0x34, (byte) 0xFF, (byte) 0xD0, (byte) 0xE1, (byte) 0xFE, 0x56},
                new byte[] {(byte) 0xFF, (byte) 0xD9});
        byte[] soi = {(byte) 0xFF, (byte) 0xD8};
        byte[] source = concat(soi, jfif,
                jpegSegment(APP0, concat(ascii("JFXX\0"), new byte[] {0x10, 0x01, 0x02})),
                icc,
                jpegSegment(APP2, concat(ascii("MPF\0"), new byte[8])),
                jpegSegment(APP13, ascii("Photoshop 3.0\0IPTC caption")),
                adobe,
                jpegSegment(0xEF, ascii("vendor data")),
                jpegSegment(COM, ascii(COMMENT)),
                dqt, sof, scan);

        assertArrayEquals(concat(soi, jfif, icc, adobe, dqt, sof, scan), strip(MediaType.JPEG, source));
    }

    @Test
    void pngLosesTextTimeAndExifChunksButKeepsItsPixels() throws IOException {
        byte[] clean = TestMedia.png(80, 45);
        byte[] tagged = TestMedia.insert(clean, TestMedia.PNG_IHDR_END,
                pngChunk("tEXt", concat(ascii("GPS\0"), "24.7136,46.6753".getBytes(ISO_8859_1))),
                pngChunk("zTXt", concat(ascii("Comment\0"), new byte[] {0}, deflate(COMMENT))),
                pngChunk("iTXt", concat(ascii("Author\0"), new byte[] {0, 0}, ascii("en\0Author\0"),
                        "Jane Doe".getBytes(UTF_8))),
                pngChunk("tIME", ByteBuffer.allocate(7).putShort((short) 2024).put(new byte[] {5, 17, 10, 30, 0})
                        .array()),
                pngChunk("eXIf", TestMedia.exifTiff(CAMERA_SERIAL)));
        List<String> metadataChunks = List.of("tEXt", "zTXt", "iTXt", "tIME", "eXIf");
        assertTrue(TestMedia.pngChunkTypes(tagged).containsAll(metadataChunks));

        byte[] stripped = strip(MediaType.PNG, tagged);

        List<String> chunkTypes = TestMedia.pngChunkTypes(stripped);
        for (String metadataChunk : metadataChunks) {
            assertFalse(chunkTypes.contains(metadataChunk), metadataChunk + " left in " + chunkTypes);
        }
        assertEquals("IHDR", chunkTypes.get(0));
        assertEquals("IEND", chunkTypes.get(chunkTypes.size() - 1));
        assertFalse(contains(stripped, ascii("24.7136")));
        assertFalse(contains(stripped, ascii(CAMERA_SERIAL)));
        assertArrayEquals(clean, stripped, "only the inserted chunks may be removed");
        assertArrayEquals(TestMedia.pixels(tagged), TestMedia.pixels(stripped));
    }

    @Test
    void pdfIsCopiedVerbatim() throws IOException {
        byte[] pdf = ascii("%PDF-1.4\n% Author: Jane Doe\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

        assertArrayEquals(pdf, strip(MediaType.PDF, pdf));
    }

    /** Runs the stripper on files and checks the returned byte count against the written file. */
    private byte[] strip(MediaType type, byte[] content) throws IOException {
        Path source = Files.write(dir.resolve("source"), content);
        Path target = dir.resolve("target");
        long written = MetadataStripper.strip(type, source, target);
        byte[] stripped = Files.readAllBytes(target);
        assertEquals(stripped.length, written);
        return stripped;
    }

    private static byte[] deflate(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater = new DeflaterOutputStream(out)) {
            deflater.write(text.getBytes(ISO_8859_1));
        }
        return out.toByteArray();
    }
}
