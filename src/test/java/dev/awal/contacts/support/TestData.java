package dev.awal.contacts.support;

import java.util.concurrent.atomic.AtomicInteger;

/** Values that stay unique across tests sharing one database. */
public final class TestData {

    private static final AtomicInteger SEQUENCE = new AtomicInteger(new java.util.Random().nextInt(9_000_000));

    private TestData() {
    }

    /**
     * A valid Saudi mobile number in normalized form (96650XXXXXXX), different on every call and,
     * thanks to the random start, across runs against one external database.
     */
    public static String uniquePhone() {
        return "96650" + String.format("%07d", SEQUENCE.incrementAndGet() % 10_000_000);
    }
}
