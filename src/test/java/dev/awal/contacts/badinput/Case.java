package dev.awal.contacts.badinput;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One generated request before it is signed. The path keeps its {@code {id}} placeholder until it is
 * sent, because ids of fixtures (and of fresh victims for DELETE) exist only then, and the signature
 * needs a fresh timestamp anyway.
 *
 * @param kind the operation-independent mutation name, e.g. {@code json.wrong-type}: failures are
 *        deduplicated by operation and kind
 * @param refused true when any 2xx is itself a failure (bad signature, another workspace's id)
 */
record Case(ApiDocument.Operation op, String kind, String detail, String method, IdMode idMode, String literalId,
        String query, List<String[]> headers, byte[] body, boolean chunked, Auth auth, String authValue,
        boolean refused) {

    /** Which id goes into the path. */
    enum IdMode {
        /** The long-lived fixture of the collection (never deleted by the suite). */
        FIXTURE,
        /** A resource created just for this request, because the request may delete it. */
        VICTIM,
        /** A fixture of another workspace: must be invisible. */
        OTHER_WORKSPACE,
        /** {@code literalId} as raw path text. */
        LITERAL
    }

    /** How the authentication headers are made. */
    enum Auth {
        SIGNED, UNSIGNED, MISSING_SIGNATURE, MISSING_TIMESTAMP, MISSING_DOMAIN, MISSING_CLIENT, WRONG_SECRET,
        UNKNOWN_CLIENT, OTHER_CLIENT, FORBIDDEN_DOMAIN, TAMPERED_SIGNATURE, STALE_TIMESTAMP, FUTURE_TIMESTAMP,
        GARBAGE_TIMESTAMP, GARBAGE_SIGNATURE, GARBAGE_DOMAIN, GARBAGE_CLIENT, SIGNED_OTHER_BODY, SIGNED_OTHER_QUERY,
        DUPLICATE_DOMAIN;

        boolean mustBeRefused() {
            return this != SIGNED && this != DUPLICATE_DOMAIN;
        }
    }

    /** A mutable copy, for generators that start from the operation's valid request. */
    static final class Draft {
        final ApiDocument.Operation op;
        String method;
        IdMode idMode;
        String literalId;
        String query;
        List<String[]> headers = new ArrayList<>();
        byte[] body = new byte[0];
        boolean chunked;
        Auth auth = Auth.SIGNED;
        String authValue;
        boolean refused;

        Draft(ApiDocument.Operation op) {
            this.op = op;
            this.method = op.method();
            this.idMode = op.removesResource() ? IdMode.VICTIM : IdMode.FIXTURE;
        }

        Draft header(String name, String value) {
            headers.add(new String[] { name, value });
            return this;
        }

        Draft replaceHeader(String name, String value) {
            headers.removeIf(h -> h[0].equalsIgnoreCase(name));
            return value == null ? this : header(name, value);
        }

        Draft body(String contentType, byte[] bytes) {
            replaceHeader("Content-Type", contentType);
            body = bytes;
            return this;
        }

        Draft literalId(String id) {
            idMode = IdMode.LITERAL;
            literalId = id;
            return this;
        }

        Draft addQuery(String pair) {
            query = query == null || query.isEmpty() ? pair : query + "&" + pair;
            return this;
        }

        Draft auth(Auth mode, String value) {
            auth = mode;
            authValue = value;
            refused |= mode.mustBeRefused();
            return this;
        }

        Case build(String kind, String detail) {
            return new Case(op, kind.toLowerCase(Locale.ROOT), detail, method, idMode, literalId, query,
                    List.copyOf(headers), body, chunked, auth, authValue, refused);
        }
    }
}
