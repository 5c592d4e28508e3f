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
        String phone;
        do {
            phone = "96650" + String.format("%07d", SEQUENCE.incrementAndGet() % 10_000_000);
        } while (EXAMPLE_PHONES.contains(phone));
        return phone;
    }

    /** The document's example phones, which the examples tests create: never handed out as "unique". */
    private static final java.util.Set<String> EXAMPLE_PHONES = java.util.Set.of("966501234567", "966507654321",
            "966501111111");
}
