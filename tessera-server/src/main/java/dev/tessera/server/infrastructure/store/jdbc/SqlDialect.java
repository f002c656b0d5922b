package dev.tessera.server.infrastructure.store.jdbc;

import java.util.Locale;

/**
 * The few SQL differences between H2 and PostgreSQL. Everything else is portable SQL; a new method
 * belongs here only when no portable statement does the job.
 */
public sealed interface SqlDialect permits H2Dialect, PostgresDialect {
    SqlDialect H2 = new H2Dialect();
    SqlDialect POSTGRES = new PostgresDialect();

    String name();

    /**
     * Turns a plain {@code INSERT} into one that inserts nothing (update count 0) when the row's key
     * already exists, where the database can say so without an error. Callers still treat SQLState
     * 23505 as "exists", because H2 has no such clause.
     */
    String insertIgnoringDuplicate(String insert);

    /**
     * Whether a statement's WITH clause may hold INSERT, UPDATE or DELETE ... RETURNING (PostgreSQL), so that writes
     * to several rows or tables that depend on each other go to the database as one statement: one round trip, and
     * atomic without a transaction around it. H2 does not have it; there the same writes run in a transaction.
     */
    boolean writesInWithClauses();

    /** The dialect for a JDBC URL ({@code jdbc:h2:…} or {@code jdbc:postgresql:…}). */
    static SqlDialect forUrl(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRES;
        }
        throw new IllegalArgumentException("unsupported JDBC URL scheme; expected jdbc:h2: or jdbc:postgresql:");
    }
}
