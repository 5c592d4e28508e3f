package dev.awal.contacts.imports;

import com.carrotsearch.hppc.LongIntHashMap;

/**
 * The phones one partition of an import has written in earlier batches, each with the row that first wrote it: the
 * cross-batch duplicate detection, held in the worker's memory instead of one database row, index entry and probe per
 * imported row. A normalized phone is E.164 digits without the plus (at most 15 digits, no leading zero), so it is
 * kept as a long key in HPPC's primitive {@link LongIntHashMap} (a long and an int per slot, load factor 0.75, the
 * table doubling when full): roughly 16–32 bytes per phone, so for a 1,000,000-row file (the default max-rows) about
 * 16–32 MiB over all partitions, plus the old table while it doubles. Bounded by max-rows. Not thread-safe: one
 * partition's writer uses it, after the reader has filled it (handed over through the batch queue) on a resume.
 */
final class SeenPhones {

    private final LongIntHashMap rows = new LongIntHashMap();
    /**
     * Dry runs only (nothing is written, so the database cannot tell): per phone, the fingerprint of the row that last
     * wrote it ({@link dev.awal.contacts.contact.ContactUpsert.ImportRow#fingerprint}). As much memory again.
     */
    private LongIntHashMap fingerprints;

    /** The row that first wrote {@code phone}, or 0 when none did (row numbers start at 1). */
    int firstRow(String phone) {
        return rows.get(key(phone));
    }

    /** Records that {@code row} wrote {@code phone}, unless an earlier row did. */
    void add(String phone, int row) {
        rows.putIfAbsent(key(phone), row);
    }

    /** The fingerprint of the row that last wrote {@code phone} in this dry run, or null when none did. */
    Integer fingerprint(String phone) {
        long key = key(phone);
        return fingerprints != null && fingerprints.containsKey(key) ? fingerprints.get(key) : null;
    }

    /** Records that a row with {@code fingerprint} wrote {@code phone} (a dry run's stand-in for the database). */
    void wrote(String phone, int fingerprint) {
        if (fingerprints == null) {
            fingerprints = new LongIntHashMap();
        }
        fingerprints.put(key(phone), fingerprint);
    }

    int size() {
        return rows.size();
    }

    /** The phone's digits as a number: distinct phones give distinct keys. */
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
}
