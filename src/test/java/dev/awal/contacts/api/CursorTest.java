package dev.awal.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void roundTripsThroughItsOpaqueForm() {
        Cursor cursor = new Cursor("name", "Sara\tal-Harbi", 42);
        assertEquals(cursor, Cursor.decode(cursor.encode(), "name"));
    }

    @Test
    void aValueWithLineBreaksRoundTrips() {
        // A name may hold line breaks (a quoted CSV cell, a JSON "\n"): the listing must page past it.
        Cursor cursor = new Cursor("name", "Ali\nBaba\n", 42);
        assertEquals(cursor, Cursor.decode(cursor.encode(), "name"));
    }

    @Test
    void isOnlyValidForTheSortItWasIssuedFor() {
        String encoded = new Cursor("name", "Sara", 42).encode();
        assertInvalid(() -> Cursor.decode(encoded, "created_at"));
    }

    @Test
    void refusesGarbageAsABadRequestNamingTheCursor() {
        for (String garbage : List.of("!!!", "a", encode("name\nSara"), encode("name\nSara\n42\nx"),
                encode("name\nSara\nnot-a-number"), encode("name\nSa\u0000ra\n42"), "A".repeat(2049))) {
            assertInvalid(() -> Cursor.decode(garbage, "name"));
        }
    }

    @Test
    void timestampPositionsMustBeTimesAStoredRowCanHave() {
        assertEquals(1_700_000_000L, new Cursor("created_at", "1700000000", 1).epochSeconds());
        assertEquals(-62_135_596_800L, new Cursor("created_at", "-62135596800", 1).epochSeconds());
        assertInvalid(() -> new Cursor("created_at", "-62135596801", 1).epochSeconds());
        assertInvalid(() -> new Cursor("created_at", "253402300800", 1).epochSeconds());
        assertInvalid(() -> new Cursor("created_at", "yesterday", 1).epochSeconds());
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertInvalid(Runnable decode) {
        ApiException e = assertThrows(ApiException.class, decode::run);
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals(List.of("cursor"), List.copyOf(e.details().keySet()));
    }
}
