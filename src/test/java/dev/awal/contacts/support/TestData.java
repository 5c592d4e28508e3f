package dev.awal.contacts.support;

import java.util.concurrent.atomic.AtomicInteger;

/** Values that stay unique across tests sharing one database. */
public final class TestData {

    private static final AtomicInteger SEQUENCE = new AtomicInteger(new java.util.Random().nextInt(90_000_000));

    private TestData() {
    }

    /** A valid Saudi mobile number in normalized form (9665XXXXXXXX), different on every call. */
    public static String uniquePhone() {
        return "9665" + String.format("%08d", SEQUENCE.incrementAndGet() % 100_000_000);
    }
}
