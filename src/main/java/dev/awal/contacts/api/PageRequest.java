package dev.awal.contacts.api;

import java.util.Map;

/**
 * Parsed paging parameters. Values arrive as raw strings so that a bad value is a 400 in the
 * documented envelope rather than the JAX-RS default (a 404 for an unconvertible query parameter).
 */
public record PageRequest(int page, int perPage, Cursor cursor) {

    public static final int DEFAULT_PER_PAGE = 20;
    public static final int MAX_PER_PAGE = 100;

    public static PageRequest parse(String page, String perPage, String cursor, String sortKey) {
        int size = parseInt("per_page", perPage, DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
        if (cursor != null && !cursor.isEmpty()) {
            if (page != null && !page.isEmpty()) {
                throw new ApiException(ErrorCode.BAD_REQUEST, "Use either page or cursor, not both",
                        Map.of("cursor", "cannot be combined with page"));
            }
            return new PageRequest(1, size, Cursor.decode(cursor, sortKey));
        }
        return new PageRequest(parseInt("page", page, 1, 1, 1_000_000), size, null);
    }

    public boolean cursorMode() {
        return cursor != null;
    }

    public int offset() {
        return (page - 1) * perPage;
    }

    static int parseInt(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below like an out-of-range value
        }
        throw new ApiException(ErrorCode.BAD_REQUEST, "Invalid value for query parameter " + name,
                Map.of(name, "must be an integer between " + min + " and " + max));
    }

    /** Meta for a page-mode result with an exact total. */
    public PageMeta pageMeta(long total, String nextCursor) {
        return pageMeta(total, true, nextCursor);
    }

    /** Meta for a page-mode result; {@code exact} false means counting stopped early and total is a lower bound. */
    public PageMeta pageMeta(long total, boolean exact, String nextCursor) {
        long lastPage = Math.max(1, (total + perPage - 1) / perPage);
        return new PageMeta(page, perPage, total, exact, (int) Math.min(Integer.MAX_VALUE, lastPage), nextCursor);
    }

    /** Meta for a cursor-mode result: counting is skipped, so total and last_page are null. */
    public PageMeta cursorMeta(String nextCursor) {
        return new PageMeta(null, perPage, null, null, null, nextCursor);
    }
}
