package dev.awal.contacts.persistence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements whose plan does not depend on their parameters' values, and which PostgreSQL may therefore keep
 * as one generic plan per connection instead of planning every execution afresh ({@link StatementCachingPool}).
 * A statement belongs here when every plan PostgreSQL could choose for it is the same index walk whatever the
 * values: a lookup by primary key, an insert that checks references by primary key. Searches, listings and
 * anything whose best plan depends on how many rows a value matches do not: a generic plan there, chosen without
 * the values, ANDs a trigram index with a scan of the whole workspace (100 ms instead of 1 ms at a million
 * contacts), so those keep being prepared unnamed and planned for their values on every execution.
 *
 * <p>A class registers its statement text once, from a static initializer, before it first sends it; the text is
 * matched exactly (the string the client sends).
 */
public final class PlanStableStatements {

    private static final Set<String> STATEMENTS = ConcurrentHashMap.newKeySet();

    private PlanStableStatements() {
    }

    /** Marks {@code sql} as plan-stable and answers it. */
    public static String register(String sql) {
        STATEMENTS.add(sql);
        return sql;
    }

    /** Whether {@code sql} was registered. */
    public static boolean contains(String sql) {
        return STATEMENTS.contains(sql);
    }
}
