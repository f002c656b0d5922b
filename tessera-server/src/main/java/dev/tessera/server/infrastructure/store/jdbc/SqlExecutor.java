package dev.tessera.server.infrastructure.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs statements on the connection {@link JdbcTransactor} chooses, binding parameters the one way
 * every store shares: an {@link Instant} becomes a UTC {@link LocalDateTime} truncated to microseconds
 * (both databases keep microseconds; truncating here makes the round trip exact instead of rounded).
 */
final class SqlExecutor {
    static final String UNIQUE_VIOLATION = "23505";

    private final JdbcTransactor transactor;
    private final SqlDialect dialect;

    SqlExecutor(JdbcTransactor transactor, SqlDialect dialect) {
        this.transactor = transactor;
        this.dialect = dialect;
    }

    <T> T transaction(Supplier<T> work) {
        return transactor.inTransaction(work);
    }

    int update(String sql, Object... params) {
        try {
            return transactor.withConnection(c -> execute(c, sql, params));
        } catch (SQLException e) {
            throw StorageException.of("update failed: " + sql, e);
        }
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        try {
            return transactor.withConnection(c -> {
                try (PreparedStatement statement = c.prepareStatement(sql)) {
                    bind(statement, params);
                    try (ResultSet rs = statement.executeQuery()) {
                        List<T> rows = new ArrayList<>();
                        ResultRow row = new ResultRow(rs);
                        while (rs.next()) {
                            rows.add(mapper.map(row));
                        }
                        return rows;
                    }
                }
            });
        } catch (SQLException e) {
            throw StorageException.of("query failed: " + sql, e);
        }
    }

    <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        if (rows.size() > 1) {
            throw new IllegalStateException("expected at most one row: " + sql);
        }
        return rows.stream().findFirst();
    }

    /**
     * Inserts the row unless a unique key already holds it; true when this call inserted it. Never
     * poisons an open transaction: PostgreSQL reports the duplicate as "0 rows" instead of an error,
     * and on H2 a failed statement leaves the transaction usable.
     */
    boolean insertIgnoringDuplicate(String insert, Object... params) {
        String sql = dialect.insertIgnoringDuplicate(insert);
        try {
            return transactor.withConnection(c -> {
                try {
                    return execute(c, sql, params) == 1;
                } catch (SQLException e) {
                    if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        return false;
                    }
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw StorageException.of("insert failed: " + insert, e);
        }
    }

    private static int execute(Connection connection, String sql, Object[] params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object value = params[i];
            if (value instanceof Instant instant) {
                statement.setObject(i + 1, toColumn(instant));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }

    static LocalDateTime toColumn(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultRow row) throws SQLException;
    }
}
