package dev.awal.contacts.media;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Builds real and hand-forged JPEG/PNG bytes for the tests, and inspects their structure. */
final class TestMedia {

    static final int APP0 = 0xE0;
    static final int APP1 = 0xE1;
    static final int APP2 = 0xE2;
    static final int APP13 = 0xED;
    static final int APP14 = 0xEE;
    static final int COM = 0xFE;
    static final int DQT = 0xDB;
    static final int SOF0 = 0xC0;
    static final int SOS = 0xDA;

    /** Offset just after the PNG signature and the 25-byte IHDR chunk. */
    static final int PNG_IHDR_END = 33;

    private static final int TIFF_ASCII = 2;
    private static final int TIFF_LONG = 4;
    private static final int TIFF_RATIONAL = 5;

    private TestMedia() {
    }

    /** A picture with gradients and hard edges so that any change to the compressed data shows in pixels. */
    static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, new Color(x * 255 / width, y * 255 / height, (x * y) % 256).getRGB());
            }
        }
        Graphics2D graphics = image.createGraphics();
        graphics.setColor(Color.WHITE);
        graphics.fillOval(width / 4, height / 4, width / 2, height / 2);
        graphics.dispose();
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] jpeg(int width, int height) {
        return encode(picture(width, height), "jpg");
    }

    static byte[] png(int width, int height) {
        return encode(picture(width, height), "png");
    }

    static int[] pixels(byte[] encoded) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
            return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static byte[] insert(byte[] file, int offset, byte[]... parts) {
        byte[] head = Arrays.copyOfRange(file, 0, offset);
        byte[] tail = Arrays.copyOfRange(file, offset, file.length);
        return concat(head, concat(parts), tail);
    }

    static byte[] ascii(String text) {
        return text.getBytes(US_ASCII);
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        return new String(haystack, ISO_8859_1).contains(new String(needle, ISO_8859_1));
    }

    // ---- JPEG ----

    static byte[] jpegSegment(int marker, byte[] payload) {
        int length = payload.length + 2;
        return concat(new byte[] {(byte) 0xFF, (byte) marker, (byte) (length >> 8), (byte) length}, payload);
    }

    /** Offset just after SOI and the APP0 (JFIF) segment that ImageIO always writes first. */
    static int jpegApp0End(byte[] jpeg) {
        return 4 + segmentLength(jpeg, 2);
    }

    /** Offset of the 0xFF of the first segment with {@code marker} before the scan data. */
    static int jpegSegmentOffset(byte[] jpeg, int marker) {
        int offset = 2;
        while ((jpeg[offset + 1] & 0xFF) != marker) {
            if ((jpeg[offset + 1] & 0xFF) == SOS) {
                throw new IllegalArgumentException("no segment " + Integer.toHexString(marker));
            }
            offset += 2 + segmentLength(jpeg, offset);
        }
        return offset;
    }

    /** Markers of all segments from after SOI up to and including the first SOS. */
    static List<Integer> jpegMarkersBeforeScan(byte[] jpeg) {
        List<Integer> markers = new ArrayList<>();
        int offset = 2;
        int marker;
        do {
            marker = jpeg[offset + 1] & 0xFF;
            markers.add(marker);
            offset += 2 + segmentLength(jpeg, offset);
        } while (marker != SOS);
        return markers;
    }

    /** Overwrites the height and width in the SOF0 header. */
    static byte[] withJpegSize(byte[] jpeg, int width, int height) {
        byte[] forged = jpeg.clone();
        ByteBuffer.wrap(forged, jpegSegmentOffset(jpeg, SOF0) + 5, 4).putShort((short) height).putShort((short) width);
        return forged;
    }

    private static int segmentLength(byte[] jpeg, int markerOffset) {
        return ((jpeg[markerOffset + 2] & 0xFF) << 8) | (jpeg[markerOffset + 3] & 0xFF);
    }

    static byte[] exifApp1(String cameraSerial) {
        return jpegSegment(APP1, concat(ascii("Exif\0\0"), exifTiff(cameraSerial)));
    }

    static byte[] xmpApp1() {
        return jpegSegment(APP1, concat(ascii("http://ns.adobe.com/xap/1.0/\0"), ascii(
                "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
                        + "<rdf:Description xmlns:exif='http://ns.adobe.com/exif/1.0/'"
                        + " exif:GPSLatitude='24,42.816N' exif:GPSLongitude='46,40.518E'/>"
                        + "</rdf:RDF></x:xmpmeta>")));
    }

    /**
     * A big-endian TIFF structure as found in EXIF: IFD0 points to an Exif IFD holding the camera's
     * BodySerialNumber and to a GPS IFD holding latitude/longitude (24.7136 N, 46.6753 E).
     */
    static byte[] exifTiff(String cameraSerial) {
        byte[] serial = ascii(cameraSerial + "\0");
        int ifd0 = 8;
        int exifIfd = ifd0 + ifdLength(2);
        int gpsIfd = exifIfd + ifdLength(1);
        int serialData = gpsIfd + ifdLength(4);
        int latitudeData = serialData + serial.length;
        int longitudeData = latitudeData + 24;
        ByteBuffer tiff = ByteBuffer.allocate(longitudeData + 24);
        tiff.put(ascii("MM")).putShort((short) 42).putInt(ifd0);

        tiff.putShort((short) 2);
        ifdEntry(tiff, 0x8769, TIFF_LONG, 1, exifIfd); // ExifIFDPointer
        ifdEntry(tiff, 0x8825, TIFF_LONG, 1, gpsIfd); // GPSInfo IFD pointer
        tiff.putInt(0);

        tiff.putShort((short) 1);
        ifdEntry(tiff, 0xA431, TIFF_ASCII, serial.length, serialData); // BodySerialNumber
        tiff.putInt(0);

        tiff.putShort((short) 4);
        ifdEntry(tiff, 0x0001, TIFF_ASCII, 2, 'N' << 24); // GPSLatitudeRef, inline "N\0"
        ifdEntry(tiff, 0x0002, TIFF_RATIONAL, 3, latitudeData); // GPSLatitude
        ifdEntry(tiff, 0x0003, TIFF_ASCII, 2, 'E' << 24); // GPSLongitudeRef, inline "E\0"
        ifdEntry(tiff, 0x0004, TIFF_RATIONAL, 3, longitudeData); // GPSLongitude
        tiff.putInt(0);

        tiff.put(serial);
        tiff.putInt(24).putInt(1).putInt(42).putInt(1).putInt(4896).putInt(100);
        tiff.putInt(46).putInt(1).putInt(40).putInt(1).putInt(3108).putInt(100);
        return tiff.array();
    }

    private static int ifdLength(int entries) {
        return 2 + 12 * entries + 4;
    }

    private static void ifdEntry(ByteBuffer tiff, int tag, int type, int count, int valueOrOffset) {
        tiff.putShort((short) tag).putShort((short) type).putInt(count).putInt(valueOrOffset);
    }

    // ---- PNG ----

    static byte[] pngChunk(String type, byte[] data) {
        byte[] typeAndData = concat(ascii(type), data);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        return ByteBuffer.allocate(12 + data.length)
                .putInt(data.length).put(typeAndData).putInt((int) crc.getValue()).array();
    }

    static List<String> pngChunkTypes(byte[] png) {
        List<String> types = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.wrap(png, 8, png.length - 8);
        while (buffer.hasRemaining()) {
            int length = buffer.getInt();
            byte[] type = new byte[4];
            buffer.get(type);
            types.add(new String(type, US_ASCII));
            buffer.position(buffer.position() + length + 4);
        }
        return types;
    }

    /** Replaces the IHDR width and height and recomputes its CRC, leaving the rest of the file as is. */
    static byte[] withPngSize(byte[] png, int width, int height) {
        byte[] forged = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(forged);
        buffer.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(forged, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return forged;
    }
}
