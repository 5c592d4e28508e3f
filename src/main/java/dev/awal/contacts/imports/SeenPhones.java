package dev.awal.contacts.imports;

/**
 * The phones one partition of an import has written in earlier batches, each with the row that first wrote it: the
 * cross-batch duplicate detection, held in the worker's memory instead of one database row, index entry and probe per
 * imported row. A normalized phone is E.164 digits without the plus (at most 15 digits, no leading zero), so it is
 * kept as a long in an open-addressing table of primitives: 12 bytes per slot, two to four slots per phone (the
 * table doubles when half full), so 24–48 bytes per phone plus the old table while it doubles — for a
 * 1,000,000-row file (the default max-rows) 24–48 MiB over all partitions (24 MiB with the default two writers,
 * whose ~500,000 phones each fit 2^20 slots). Bounded by max-rows. Not thread-safe: one partition's writer
 * uses it, after the reader has filled it (handed over through the batch queue) on a resume.
 */
final class SeenPhones {

    private static final int INITIAL_CAPACITY = 1 << 10;

    private long[] phones = new long[INITIAL_CAPACITY];
    private int[] rows = new int[INITIAL_CAPACITY];
    private int size;

    /** The row that first wrote {@code phone}, or 0 when none did (row numbers start at 1). */
    int firstRow(String phone) {
        long key = key(phone);
        int mask = phones.length - 1;
        for (int slot = slot(key, mask);; slot = (slot + 1) & mask) {
            if (phones[slot] == key) {
                return rows[slot];
            }
            if (phones[slot] == 0) {
                return 0;
            }
        }
    }

    /** Records that {@code row} wrote {@code phone}, unless an earlier row did. */
    void add(String phone, int row) {
        long key = key(phone);
        int mask = phones.length - 1;
        for (int slot = slot(key, mask);; slot = (slot + 1) & mask) {
            if (phones[slot] == key) {
                return;
            }
            if (phones[slot] == 0) {
                phones[slot] = key;
                rows[slot] = row;
                if (++size * 2 > phones.length) {
                    grow();
                }
                return;
            }
        }
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] oldPhones = phones;
        int[] oldRows = rows;
        phones = new long[oldPhones.length * 2];
        rows = new int[oldPhones.length * 2];
        int mask = phones.length - 1;
        for (int i = 0; i < oldPhones.length; i++) {
            if (oldPhones[i] != 0) {
                int slot = slot(oldPhones[i], mask);
                while (phones[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                phones[slot] = oldPhones[i];
                rows[slot] = oldRows[i];
            }
        }
    }

    /** The phone's digits as a number: distinct phones give distinct keys, and none gives 0 (the empty slot). */
    private static long key(String phone) {
        if (phone.isEmpty() || phone.length() > 18 || phone.charAt(0) == '0') {
            throw new IllegalArgumentException("not a normalized phone: " + phone);
        }
        long key = 0;
        for (int i = 0; i < phone.length(); i++) {
            char c = phone.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a normalized phone: " + phone);
            }
            key = key * 10 + (c - '0');
        }
        return key;
    }

    /** Spreads the keys (consecutive phones are common) over the table: the 64-bit finalizer of MurmurHash3. */
    private static int slot(long key, int mask) {
        long h = key;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h & mask;
    }
}
