package dev.awal.contacts.storage;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys: a folder per kind, 128 random bits and the extension of the type found in the bytes,
 * such as {@code avatars/4f9c0d1e2b3a4c5d6e7f8091a2b3c4d5.jpg}. The randomness makes the public URL a
 * capability; the extension records the content type, and the strict shape keeps any other path out.
 */
public final class ObjectKeys {

    public static final String AVATARS = "avatars";
    public static final String BRANCH_FILES = "branch-files";
    /** Uploaded import files, private to their job: never served, and deleted by the job that owns them. */
    public static final String IMPORTS = "imports";
    /**
     * The folders of objects referenced by contacts and branches: the sweeper looks nowhere else. Imports are
     * left out, since a queued job's file is referenced by no contact or branch yet is still needed.
     */
    public static final List<String> FOLDERS = List.of(AVATARS, BRANCH_FILES);

    private static final Pattern SHAPE = Pattern.compile("(avatars|branch-files|imports)/([0-9a-f]{32})\\.(jpg|png|pdf|csv)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ObjectKeys() {
    }

    public static String newKey(String folder, String extension) {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        return folder + "/" + HexFormat.of().formatHex(random) + "." + extension;
    }

    public static boolean isValid(String key) {
        return key != null && SHAPE.matcher(key).matches();
    }

    /** Whether the object may be served publicly: avatars and branch files, not import files. */
    public static boolean isPublic(String key) {
        return isValid(key) && !matcher(key).group(1).equals(IMPORTS);
    }

    /** A strong ETag: an object's bytes never change under its key, so the random part identifies them. */
    public static String etag(String key) {
        Matcher matcher = matcher(key);
        return "\"" + matcher.group(2) + "\"";
    }

    /** The content type recorded by the key's extension. */
    public static String contentType(String key) {
        return switch (matcher(key).group(3)) {
            case "jpg" -> "image/jpeg";
            case "png" -> "image/png";
            case "csv" -> "text/csv";
            default -> "application/pdf";
        };
    }

    private static Matcher matcher(String key) {
        Matcher matcher = SHAPE.matcher(key);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not an object key: " + key);
        }
        return matcher;
    }
}
