package dev.awal.contacts.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one reader of {@code If-Match} and {@code If-None-Match} headers (RFC 9110 §13.1): a list of
 * entity tags, strong or weak ({@code W/"3"}), or {@code *}. This service compares weakly: a weak tag
 * names the same version as the strong one.
 */
public final class EntityTags {

    private EntityTags() {
    }

    /** The tags a header lists, each without its weak prefix; empty for an absent or blank header. */
    public static List<String> parse(String header) {
        List<String> tags = new ArrayList<>();
        if (header == null) {
            return tags;
        }
        for (String tag : header.split(",")) {
            String candidate = tag.strip();
            if (candidate.startsWith("W/")) {
                candidate = candidate.substring(2);
            }
            if (!candidate.isEmpty()) {
                tags.add(candidate);
            }
        }
        return tags;
    }

    /** Whether the header is {@code *} (any current version). */
    public static boolean isAny(String header) {
        return header != null && header.strip().equals("*");
    }

    /** Whether the header names {@code etag}, or is {@code *}. */
    public static boolean matches(String header, String etag) {
        return isAny(header) || parse(header).contains(etag);
    }

    /**
     * Whether an {@code If-None-Match} header names {@code etag} (weakly: {@code W/"3"}, one of a list, or {@code *}):
     * then a GET answers 304. The usual exact header is decided without parsing.
     */
    public static boolean notModified(String ifNoneMatch, String etag) {
        return ifNoneMatch != null && (ifNoneMatch.equals(etag) || matches(ifNoneMatch, etag));
    }

    /**
     * An {@code If-Match} must name the current version of the row, which the caller holds locked; else
     * 412. Absent or blank means unconditional.
     *
     * @param what how the 412 names the resource ("contact", "branch")
     */
    public static void checkIfMatch(String what, String currentEtag, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || matches(ifMatch, currentEtag)) {
            return;
        }
        throw new ApiException(ErrorCode.PRECONDITION_FAILED,
                "The " + what + " has changed since you read it (current ETag " + currentEtag + ")",
                Map.of("If-Match", "does not match the current ETag " + currentEtag));
    }
}
