package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.scope.Scopes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Typed reads of the current row, with SQL NULL as Java null; the inverse of {@link SqlExecutor}'s binding. */
final class ResultRow {
    private final ResultSet rs;

    ResultRow(ResultSet rs) {
        this.rs = rs;
    }

    String string(String column) throws SQLException {
        return rs.getString(column);
    }

    boolean bool(String column) throws SQLException {
        return rs.getBoolean(column);
    }

    int integer(String column) throws SQLException {
        return rs.getInt(column);
    }

    long longValue(String column) throws SQLException {
        return rs.getLong(column);
    }

    Instant instant(String column) throws SQLException {
        LocalDateTime utc = rs.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    Scopes scopes(String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : Scopes.parse(value);
    }

    /** The auth_time, acr and amr columns that codes, refresh tokens and sessions share; null when amr is. */
    AuthenticationEvent authentication() throws SQLException {
        String amr = rs.getString("amr");
        return amr == null ? null
                : new AuthenticationEvent(instant("auth_time"), string("acr"), JsonColumns.strings(amr));
    }

    Duration millis(String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofMillis(value);
    }
}
