package dev.awal.contacts.media;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Set;

/**
 * Copies an inspected file while dropping metadata (location, camera serials, comments, timestamps).
 * Pixel data is copied byte for byte, never re-encoded, and memory use is bounded by fixed buffers.
 */
public final class MetadataStripper {

    private static final int BUFFER_SIZE = 64 * 1024;
    private static final int MAX_JPEG_SEGMENT_PAYLOAD = 0xFFFF - 2; // the 16-bit length counts itself

    private static final byte[] JFIF_IDENTIFIER = "JFIF\0".getBytes(US_ASCII);
    private static final byte[] ICC_PROFILE_IDENTIFIER = "ICC_PROFILE\0".getBytes(US_ASCII);
    private static final byte[] ADOBE_IDENTIFIER = "Adobe".getBytes(US_ASCII);

    private static final Set<String> PNG_METADATA_CHUNKS = Set.of("tEXt", "zTXt", "iTXt", "eXIf", "tIME");

    private MetadataStripper() {
    }

    /**
     * Writes a metadata-free copy of {@code source} to {@code target}, replacing any existing file.
     *
     * @return the number of bytes written
     * @throws InvalidMediaException if the source does not have the structure of {@code type}
     */
    public static long strip(MediaType type, Path source, Path target) throws IOException {
        if (type == MediaType.PDF) {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            return Files.size(target);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), BUFFER_SIZE);
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), BUFFER_SIZE)) {
            if (type == MediaType.JPEG) {
                stripJpeg(in, out);
            } else {
                stripPng(in, out);
            }
        } catch (EOFException e) {
            throw new InvalidMediaException(type + " is truncated: unexpected end of data");
        }
        return Files.size(target);
    }

    /** Filters the segments before the first SOS; from there on everything is image data, copied as is. */
    private static void stripJpeg(InputStream in, OutputStream out) throws IOException {
        if (in.read() != JpegMarkers.PREFIX || in.read() != JpegMarkers.SOI) {
            throw new InvalidMediaException("file is not a JPEG");
        }
        writeMarker(out, JpegMarkers.SOI);
        byte[] payload = new byte[MAX_JPEG_SEGMENT_PAYLOAD];
        while (true) {
            int marker = readJpegMarker(in);
            if (marker == JpegMarkers.SOS) {
                writeMarker(out, marker);
                in.transferTo(out);
                return;
            }
            if (marker == JpegMarkers.EOI) {
                writeMarker(out, marker);
                return;
            }
            if (JpegMarkers.isStandalone(marker)) {
                writeMarker(out, marker);
                continue;
            }
            int length = (readByte(in) << 8) | readByte(in);
            if (length < 2) {
                throw new InvalidMediaException("JPEG is corrupt: invalid segment length");
            }
            int payloadLength = length - 2;
            readFully(in, payload, payloadLength);
            if (isKeptJpegSegment(marker, payload, payloadLength)) {
                writeMarker(out, marker);
                out.write(length >> 8);
                out.write(length);
                out.write(payload, 0, payloadLength);
            }
        }
    }

    /**
     * Keeps only application segments needed to render colours correctly: JFIF, ICC profiles and the
     * Adobe segment (its colour transform flag changes how YCbCr/YCCK data is decoded). Every other APPn
     * (EXIF and XMP in APP1, IPTC in APP13, vendor data, JFXX thumbnails of the uncropped original) and
     * comments are dropped; non-APPn segments such as DQT, DHT, SOF and DRI are needed to decode.
     */
    private static boolean isKeptJpegSegment(int marker, byte[] payload, int payloadLength) {
        return switch (marker) {
            case JpegMarkers.APP0 -> startsWith(payload, payloadLength, JFIF_IDENTIFIER);
            case JpegMarkers.APP2 -> startsWith(payload, payloadLength, ICC_PROFILE_IDENTIFIER);
            case JpegMarkers.APP14 -> startsWith(payload, payloadLength, ADOBE_IDENTIFIER);
            case JpegMarkers.COM -> false;
            default -> !JpegMarkers.isApplication(marker);
        };
    }

    /** Reads a marker, skipping the optional 0xFF fill bytes that may precede it. */
    private static int readJpegMarker(InputStream in) throws IOException {
        if (readByte(in) != JpegMarkers.PREFIX) {
            throw new InvalidMediaException("JPEG is corrupt: expected a marker");
        }
        int marker;
        do {
            marker = readByte(in);
        } while (marker == JpegMarkers.PREFIX);
        return marker;
    }

    private static void stripPng(InputStream in, OutputStream out) throws IOException {
        byte[] signature = new byte[MediaInspector.PNG_SIGNATURE.length];
        readFully(in, signature, signature.length);
        if (!Arrays.equals(signature, MediaInspector.PNG_SIGNATURE)) {
            throw new InvalidMediaException("file is not a PNG");
        }
        out.write(signature);
        byte[] header = new byte[8];
        byte[] buffer = new byte[BUFFER_SIZE];
        String chunkType;
        do {
            readFully(in, header, header.length);
            chunkType = new String(header, 4, 4, US_ASCII);
            long dataAndCrcLength = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt()) + 4;
            if (PNG_METADATA_CHUNKS.contains(chunkType)) {
                in.skipNBytes(dataAndCrcLength);
            } else {
                out.write(header);
                copy(in, out, dataAndCrcLength, buffer);
            }
        } while (!chunkType.equals("IEND"));
    }

    private static void writeMarker(OutputStream out, int marker) throws IOException {
        out.write(JpegMarkers.PREFIX);
        out.write(marker);
    }

    private static void copy(InputStream in, OutputStream out, long length, byte[] buffer) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int chunk = (int) Math.min(buffer.length, remaining);
            readFully(in, buffer, chunk);
            out.write(buffer, 0, chunk);
            remaining -= chunk;
        }
    }

    private static void readFully(InputStream in, byte[] buffer, int length) throws IOException {
        if (in.readNBytes(buffer, 0, length) < length) {
            throw new EOFException();
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int value = in.read();
        if (value < 0) {
            throw new EOFException();
        }
        return value;
    }

    private static boolean startsWith(byte[] data, int dataLength, byte[] prefix) {
        return dataLength >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
