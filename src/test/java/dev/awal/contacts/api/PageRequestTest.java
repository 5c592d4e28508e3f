package dev.awal.contacts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void defaultsToTheFirstPageOfTwenty() {
        PageRequest request = PageRequest.parse(null, "", null, "name");
        assertEquals(1, request.page());
        assertEquals(20, request.perPage());
        assertEquals(0, request.offset());
        assertFalse(request.cursorMode());
    }

    @Test
    void computesTheOffsetOfAPage() {
        assertEquals(99_980, PageRequest.parse("5000", "20", null, "name").offset());
        assertEquals(200, PageRequest.parse(" 3 ", "100", null, "name").offset());
    }

    @Test
    void refusesValuesOutsideTheirBoundsNamingTheParameter() {
        assertBad("per_page", () -> PageRequest.parse(null, "0", null, "name"));
        assertBad("per_page", () -> PageRequest.parse(null, "101", null, "name"));
        assertBad("per_page", () -> PageRequest.parse(null, "ten", null, "name"));
        assertBad("page", () -> PageRequest.parse("0", null, null, "name"));
        assertBad("page", () -> PageRequest.parse("1000001", null, null, "name"));
        assertBad("page", () -> PageRequest.parse("99999999999", null, null, "name"));
    }

    @Test
    void aCursorExcludesAPage() {
        String cursor = new Cursor("name", "Sara", 7).encode();
        PageRequest request = PageRequest.parse(null, "50", cursor, "name");
        assertTrue(request.cursorMode());
        assertEquals(7, request.cursor().id());
        assertBad("cursor", () -> PageRequest.parse("2", null, cursor, "name"));
    }

    @Test
    void pageMetaCountsPagesAndMarksLowerBounds() {
        PageRequest request = PageRequest.parse("2", "20", null, "name");
        assertEquals(Integer.valueOf(1), request.pageMeta(0, null).lastPage());
        assertEquals(Integer.valueOf(3), request.pageMeta(41, null).lastPage());
        assertEquals(Integer.valueOf(2), request.pageMeta(40, null).lastPage());
        assertEquals(Boolean.FALSE, request.pageMeta(10_000, false, null).totalExact());
    }

    @Test
    void cursorMetaSkipsTheCount() {
        PageMeta meta = PageRequest.parse(null, null, new Cursor("name", "a", 1).encode(), "name").cursorMeta("next");
        assertNull(meta.total());
        assertNull(meta.lastPage());
        assertEquals("next", meta.nextCursor());
    }

    private static void assertBad(String parameter, Runnable parse) {
        ApiException e = assertThrows(ApiException.class, parse::run);
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals(List.of(parameter), List.copyOf(e.details().keySet()));
    }
}
