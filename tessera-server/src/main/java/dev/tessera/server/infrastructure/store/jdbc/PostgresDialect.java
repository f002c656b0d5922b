package dev.tessera.server.infrastructure.store.jdbc;

/**
 * PostgreSQL: {@code ON CONFLICT DO NOTHING} turns a duplicate into "0 rows", which matters because an
 * error would abort the surrounding transaction ("commands ignored until end of transaction block")
 * and write a server log line per duplicate.
 */
public final class PostgresDialect implements SqlDialect {
    PostgresDialect() {
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String insertIgnoringDuplicate(String insert) {
        return insert + " ON CONFLICT DO NOTHING";
    }

    @Override
    public boolean writesInWithClauses() {
        return true;
    }
}
