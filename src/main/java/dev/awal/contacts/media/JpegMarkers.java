package dev.awal.contacts.media;

/** JPEG marker codes (the byte after 0xFF) shared by inspection and stripping. */
final class JpegMarkers {

    static final int PREFIX = 0xFF;
    static final int SOI = 0xD8;
    static final int EOI = 0xD9;
    static final int SOS = 0xDA;
    static final int COM = 0xFE;
    static final int APP0 = 0xE0;
    static final int APP2 = 0xE2;
    static final int APP14 = 0xEE;
    static final int APP15 = 0xEF;

    private static final int TEM = 0x01;
    private static final int RST0 = 0xD0;
    private static final int RST7 = 0xD7;

    private JpegMarkers() {
    }

    /** Markers that stand alone, without a length field or payload. */
    static boolean isStandalone(int marker) {
        return marker == TEM || (marker >= RST0 && marker <= RST7);
    }

    /** SOF0..SOF15, excluding DHT (C4), JPG (C8) and DAC (CC) which share that range. */
    static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    static boolean isApplication(int marker) {
        return marker >= APP0 && marker <= APP15;
    }
}
