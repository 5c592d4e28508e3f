package dev.awal.contacts.ratelimit;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The operation classes that have their own rate limit (README "Rate limits and running several replicas"), told apart by method and route. */
public enum OperationClass {
    LIST_CONTACTS("list-contacts", "listing contacts"),
    CONTACT_WRITES("contact-writes", "creating and updating contacts"),
    BRANCH_WRITES("branch-writes", "creating and updating branches"),
    OTHER("other", "this operation");

    private static final Pattern MATRIX_PARAMETERS = Pattern.compile(";[^/]*");
    private static final List<Rule> RULES = List.of(
            new Rule(Set.of("GET", "HEAD"), "/contacts", LIST_CONTACTS),
            // An export reads the list, however many rows it streams.
            new Rule(Set.of("GET", "HEAD"), "/contacts/export", LIST_CONTACTS),
            // A batch counts as one write, as one request with up to 100 items.
            new Rule(Set.of("POST"), "/contacts/batch", CONTACT_WRITES),
            // An import is one write, whatever the size of its file.
            new Rule(Set.of("POST"), "/contacts/imports", CONTACT_WRITES),
            new Rule(Set.of("PUT"), "/contacts/by-phone/[^/]+", CONTACT_WRITES),
            new Rule(Set.of("POST"), "/contacts", CONTACT_WRITES),
            new Rule(Set.of("PATCH"), "/contacts/[^/]+", CONTACT_WRITES),
            new Rule(Set.of("PUT", "DELETE"), "/contacts/[^/]+/avatar", CONTACT_WRITES),
            new Rule(Set.of("POST"), "/branches", BRANCH_WRITES),
            new Rule(Set.of("PATCH"), "/branches/[^/]+", BRANCH_WRITES));

    private final String key;
    private final String description;

    OperationClass(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /**
     * @param method the HTTP method
     * @param route the request path under {@code /api/developer}, e.g. {@code /contacts/5}
     */
    public static OperationClass of(String method, String route) {
        // Matrix parameters (";a=b") do not change which resource a segment names.
        String path = route.indexOf(';') < 0 ? route : MATRIX_PARAMETERS.matcher(route).replaceAll("");
        for (Rule rule : RULES) {
            if (rule.methods().contains(method) && rule.path().matcher(path).matches()) {
                return rule.operation();
            }
        }
        return OTHER;
    }

    /** Stable name used in counter keys. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    private record Rule(Set<String> methods, Pattern path, OperationClass operation) {
        Rule(Set<String> methods, String path, OperationClass operation) {
            this(methods, Pattern.compile(path + "/?"), operation);
        }
    }
}
