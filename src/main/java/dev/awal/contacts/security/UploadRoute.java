package dev.awal.contacts.security;

import java.util.regex.Pattern;

import dev.awal.contacts.api.Headers;

/**
 * The routes that take files, each with the file-size limit it applies and whether its raw body is
 * the file itself. The body is read before Quarkus REST routes the request, so the route is found
 * here by its path template; every other route takes JSON or form fields only (the avatar limit
 * then bounds a stray file part).
 */
enum UploadRoute {
    /** {@code POST /contacts/imports}: a contact list, as text/csv, application/x-ndjson or a multipart file part. */
    IMPORT("/contacts/imports/?", "POST", "text/csv", "application/x-ndjson"),
    /** {@code PUT /contacts/{id}/avatar}: the raw image. */
    AVATAR_IMAGE("/contacts/\\d{1,18}/avatar/?", "PUT", "image/"),
    /** Branch creates and updates: a multipart file part (JPG, PNG or PDF). */
    BRANCH_FILE("/branches(/.*)?", null),
    /** Contact creates and updates: a multipart avatar part. */
    AVATAR(".*", null);

    private final Pattern path;
    private final String rawMethod;
    private final String[] rawContentTypes;

    UploadRoute(String path, String rawMethod, String... rawContentTypes) {
        this.path = Pattern.compile(Pattern.quote(Headers.API_PREFIX) + path);
        this.rawMethod = rawMethod;
        this.rawContentTypes = rawContentTypes;
    }

    static UploadRoute of(String path) {
        for (UploadRoute route : values()) {
            if (route.path.matcher(path).matches()) {
                return route;
            }
        }
        return AVATAR;
    }

    /**
     * Whether this request's body is the file itself, streamed to disk: the route's method with its
     * raw type ({@code contentType} lower-case, without parameters; a type ending in '/' is a family).
     */
    boolean isRawFile(String method, String contentType) {
        if (rawMethod == null || !rawMethod.equals(method)) {
            return false;
        }
        for (String raw : rawContentTypes) {
            if (raw.endsWith("/") ? contentType.startsWith(raw) : contentType.equals(raw)) {
                return true;
            }
        }
        return false;
    }

    long maxFileBytes(BodyLimits limits) {
        return switch (this) {
            case IMPORT -> limits.maxImportBytes();
            case BRANCH_FILE -> limits.maxBranchFileBytes();
            case AVATAR_IMAGE, AVATAR -> limits.maxAvatarBytes();
        };
    }

    /** How the 413 names a raw file that is too large. */
    String rawFileName() {
        return this == IMPORT ? "The file" : "The image";
    }
}
