package dev.tessera.server.infrastructure.store.jdbc;

/** PostgreSQL: {@code ON CONFLICT DO NOTHING} avoids an error (and a server log line) per duplicate. */
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
    public boolean failedStatementAbortsTransaction() {
        return true; // "current transaction is aborted, commands ignored until end of transaction block"
    }
}
