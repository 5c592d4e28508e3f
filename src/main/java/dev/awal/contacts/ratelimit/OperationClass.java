package dev.awal.contacts.ratelimit;

import java.util.regex.Pattern;

/** The operation classes that have their own rate limit (README "Rate limits and running several replicas"), told apart by method and route. */
public enum OperationClass {
    LIST_CONTACTS("list-contacts", "listing contacts"),
    CONTACT_WRITES("contact-writes", "creating and updating contacts"),
    BRANCH_WRITES("branch-writes", "creating and updating branches"),
    OTHER("other", "this operation");

    private static final Pattern MATRIX_PARAMETERS = Pattern.compile(";[^/]*");

    private final String key;
    private final String description;

    OperationClass(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /**
     * Which limit a request counts against. The rules, by method (a trailing slash is ignored; {x} is one
     * non-empty segment):
     * <ul>
     * <li>GET, HEAD {@code /contacts}, {@code /contacts/export}: listing contacts (an export reads the list,
     * however many rows it streams);</li>
     * <li>POST {@code /contacts}, {@code /contacts/batch}, {@code /contacts/imports}; PUT {@code /contacts/by-phone/{x}};
     * PATCH {@code /contacts/{x}}; PUT, DELETE {@code /contacts/{x}/avatar}: contact writes (a batch or an import is
     * one write, whatever its size);</li>
     * <li>POST {@code /branches}; PATCH {@code /branches/{x}}: branch writes;</li>
     * <li>anything else: other.</li>
     * </ul>
     * Compared segment by segment rather than with regular expressions: this runs on every API request, and two
     * matchers per GET were 2.5 % of a get-by-id's CPU in a profile. {@code OperationClassTest} checks it against
     * the rules written as regular expressions.
     *
     * @param method the HTTP method
     * @param route the request path under {@code /api/developer}, e.g. {@code /contacts/5}
     */
    public static OperationClass of(String method, String route) {
        // Matrix parameters (";a=b") do not change which resource a segment names.
        String path = route.indexOf(';') < 0 ? route : MATRIX_PARAMETERS.matcher(route).replaceAll("");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return switch (method) {
            case "GET", "HEAD" -> path.equals("/contacts") || path.equals("/contacts/export") ? LIST_CONTACTS : OTHER;
            case "POST" -> switch (path) {
                case "/contacts", "/contacts/batch", "/contacts/imports" -> CONTACT_WRITES;
                case "/branches" -> BRANCH_WRITES;
                default -> OTHER;
            };
            case "PATCH" -> oneSegmentAfter(path, "/contacts/") ? CONTACT_WRITES
                    : oneSegmentAfter(path, "/branches/") ? BRANCH_WRITES : OTHER;
            case "PUT" -> oneSegmentAfter(path, "/contacts/by-phone/") || avatar(path) ? CONTACT_WRITES : OTHER;
            case "DELETE" -> avatar(path) ? CONTACT_WRITES : OTHER;
            default -> OTHER;
        };
    }

    /** {@code prefix} followed by exactly one non-empty segment. */
    private static boolean oneSegmentAfter(String path, String prefix) {
        return path.length() > prefix.length() && path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0;
    }

    /** {@code /contacts/{x}/avatar}. */
    private static boolean avatar(String path) {
        return path.endsWith("/avatar") && oneSegmentAfter(path.substring(0, path.length() - "/avatar".length()), "/contacts/");
    }

    /** Stable name used in counter keys. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }
}
