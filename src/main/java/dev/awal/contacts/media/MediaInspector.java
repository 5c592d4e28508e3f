package dev.awal.contacts.media;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * Identifies an uploaded file by its bytes and checks that its structure is intact, reading only
 * headers and chunk/segment boundaries so that pixel data is never decoded or loaded into memory.
 */
public final class MediaInspector {

    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PDF_SIGNATURE = "%PDF-".getBytes(US_ASCII);

    private static final int PNG_CHUNK_HEADER_LENGTH = 8;
    private static final int PNG_CRC_LENGTH = 4;
    private static final int PNG_IHDR_DATA_LENGTH = 13;
    private static final int PNG_FIRST_CHUNK_END =
            PNG_SIGNATURE.length + PNG_CHUNK_HEADER_LENGTH + PNG_IHDR_DATA_LENGTH + PNG_CRC_LENGTH;

    private record Dimensions(long width, long height) {
    }

    private MediaInspector() {
    }

    /**
     * @throws InvalidMediaException if the file is not an intact JPEG, PNG or PDF of an allowed type,
     *     or declares zero or more than {@code maxPixels} pixels
     */
    public static MediaInfo inspect(Path file, Set<MediaType> allowed, long maxPixels) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MediaType type = detectType(channel);
            if (!allowed.contains(type)) {
                throw new InvalidMediaException(type + " files are not accepted; allowed types: " + describe(allowed));
            }
            return switch (type) {
                case JPEG -> inspectJpeg(channel, maxPixels);
                case PNG -> inspectPng(channel, maxPixels);
                case PDF -> new MediaInfo(MediaType.PDF, 0, 0);
            };
        }
    }

    private static MediaType detectType(FileChannel channel) throws IOException {
        ByteBuffer head = readAt(channel, 0, PNG_SIGNATURE.length);
        if (!head.hasRemaining()) {
            throw new InvalidMediaException("file is empty");
        }
        if (startsWith(head, JPEG_SIGNATURE)) {
            return MediaType.JPEG;
        }
        if (startsWith(head, PNG_SIGNATURE)) {
            return MediaType.PNG;
        }
        if (startsWith(head, PDF_SIGNATURE)) {
            return MediaType.PDF;
        }
        throw new InvalidMediaException("file is not a JPEG, PNG or PDF (unrecognised signature)");
    }

    private static String describe(Set<MediaType> types) {
        return types.stream().sorted().map(MediaType::name).collect(Collectors.joining(", "));
    }

    private static MediaInfo inspectJpeg(FileChannel channel, long maxPixels) throws IOException {
        Dimensions size = readJpegFrameSize(channel);
        requireSaneSize("JPEG", size, maxPixels);
        requireJpegEndOfImage(channel);
        return new MediaInfo(MediaType.JPEG, (int) size.width(), (int) size.height());
    }

    /** Walks the marker segments after SOI up to the first SOFn, whose header holds the image size. */
    private static Dimensions readJpegFrameSize(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        long position = 2;
        while (true) {
            ByteBuffer segment = readAt(channel, position, 4);
            if (segment.remaining() < 2) {
                throw new InvalidMediaException("JPEG is truncated: no SOF segment before end of data");
            }
            if ((segment.get(0) & 0xFF) != JpegMarkers.PREFIX) {
                throw new InvalidMediaException("JPEG is corrupt: expected a marker at offset " + position);
            }
            int marker = segment.get(1) & 0xFF;
            if (marker == JpegMarkers.PREFIX) {
                position += 1; // fill byte; the marker follows
                continue;
            }
            if (JpegMarkers.isStandalone(marker)) {
                position += 2;
                continue;
            }
            if (marker == JpegMarkers.SOS || marker == JpegMarkers.EOI) {
                throw new InvalidMediaException("JPEG is corrupt: no SOF segment before the image data");
            }
            if (segment.remaining() < 4) {
                throw new InvalidMediaException("JPEG is truncated: no SOF segment before end of data");
            }
            int length = segment.getShort(2) & 0xFFFF;
            long segmentEnd = position + 2 + length;
            if (length < 2) {
                throw new InvalidMediaException("JPEG is corrupt: invalid segment length at offset " + position);
            }
            if (segmentEnd > fileSize) {
                throw new InvalidMediaException(
                        "JPEG is truncated: segment at offset " + position + " runs past end of data");
            }
            if (JpegMarkers.isStartOfFrame(marker)) {
                return readJpegFrameHeader(channel, position, length);
            }
            position = segmentEnd;
        }
    }

    /** SOF payload: sample precision (1 byte), height (2), width (2), component count (1), ... */
    private static Dimensions readJpegFrameHeader(FileChannel channel, long position, int length)
            throws IOException {
        if (length < 8) {
            throw new InvalidMediaException("JPEG is corrupt: SOF segment is too short");
        }
        ByteBuffer header = readAt(channel, position + 4, 5);
        return new Dimensions(header.getShort(3) & 0xFFFF, header.getShort(1) & 0xFFFF);
    }

    private static void requireJpegEndOfImage(FileChannel channel) throws IOException {
        ByteBuffer tail = readAt(channel, channel.size() - 2, 2);
        if ((tail.get(0) & 0xFF) != JpegMarkers.PREFIX || (tail.get(1) & 0xFF) != JpegMarkers.EOI) {
            throw new InvalidMediaException("JPEG is truncated: missing end-of-image marker (FF D9)");
        }
    }

    private static MediaInfo inspectPng(FileChannel channel, long maxPixels) throws IOException {
        Dimensions size = readPngHeader(channel);
        requireSaneSize("PNG", size, maxPixels);
        requirePngChunksEndWithIend(channel);
        return new MediaInfo(MediaType.PNG, (int) size.width(), (int) size.height());
    }

    /** IHDR must be the first chunk: length 13, then width (4 bytes), height (4), five 1-byte fields, CRC. */
    private static Dimensions readPngHeader(FileChannel channel) throws IOException {
        int chunkLength = PNG_FIRST_CHUNK_END - PNG_SIGNATURE.length;
        ByteBuffer chunk = readAt(channel, PNG_SIGNATURE.length, chunkLength);
        if (chunk.remaining() < chunkLength) {
            throw new InvalidMediaException("PNG is truncated: IHDR chunk missing");
        }
        if (chunk.getInt(0) != PNG_IHDR_DATA_LENGTH || !chunkTypeIs(chunk, 4, "IHDR")) {
            throw new InvalidMediaException("PNG is corrupt: first chunk is not a valid IHDR");
        }
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + PNG_IHDR_DATA_LENGTH); // the CRC covers chunk type and data
        if (crc.getValue() != Integer.toUnsignedLong(chunk.getInt(chunkLength - PNG_CRC_LENGTH))) {
            throw new InvalidMediaException("PNG is corrupt: IHDR checksum mismatch");
        }
        return new Dimensions(Integer.toUnsignedLong(chunk.getInt(8)), Integer.toUnsignedLong(chunk.getInt(12)));
    }

    /** Follows chunk lengths to the end so that truncated or padded files are caught. */
    private static void requirePngChunksEndWithIend(FileChannel channel) throws IOException {
        long fileSize = channel.size();
        long position = PNG_FIRST_CHUNK_END;
        while (true) {
            ByteBuffer header = readAt(channel, position, PNG_CHUNK_HEADER_LENGTH);
            if (!header.hasRemaining()) {
                throw new InvalidMediaException("PNG is truncated: IEND chunk missing");
            }
            if (header.remaining() < PNG_CHUNK_HEADER_LENGTH) {
                throw new InvalidMediaException("PNG is truncated: incomplete chunk header at offset " + position);
            }
            long chunkEnd = position + PNG_CHUNK_HEADER_LENGTH + Integer.toUnsignedLong(header.getInt(0))
                    + PNG_CRC_LENGTH;
            if (chunkEnd > fileSize) {
                throw new InvalidMediaException(
                        "PNG is truncated: chunk at offset " + position + " runs past end of file");
            }
            if (chunkTypeIs(header, 4, "IEND")) {
                if (chunkEnd != fileSize) {
                    throw new InvalidMediaException("PNG is corrupt: unexpected data after the IEND chunk");
                }
                return;
            }
            position = chunkEnd;
        }
    }

    /** Rejects empty images and decompression bombs using only the declared dimensions. */
    private static void requireSaneSize(String format, Dimensions size, long maxPixels) {
        long width = size.width();
        long height = size.height();
        if (width == 0 || height == 0) {
            throw new InvalidMediaException(format + " header declares " + width + "x" + height + " pixels");
        }
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new InvalidMediaException(
                    format + " header declares an impossible size of " + width + "x" + height + " pixels");
        }
        long pixels = width * height;
        if (pixels > maxPixels) {
            throw new InvalidMediaException(String.format(Locale.ROOT,
                    "image is %dx%d (%.1f megapixels); the limit is %s megapixels",
                    width, height, pixels / 1_000_000.0, megapixels(maxPixels)));
        }
    }

    private static String megapixels(long pixels) {
        return BigDecimal.valueOf(pixels).movePointLeft(6).stripTrailingZeros().toPlainString();
    }

    /** Reads {@code length} bytes at {@code position}, or fewer if the file ends first. */
    private static ByteBuffer readAt(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.flip();
    }

    private static boolean startsWith(ByteBuffer buffer, byte[] prefix) {
        return buffer.remaining() >= prefix.length
                && Arrays.equals(buffer.array(), 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean chunkTypeIs(ByteBuffer buffer, int offset, String type) {
        return new String(buffer.array(), offset, 4, US_ASCII).equals(type);
    }
}
