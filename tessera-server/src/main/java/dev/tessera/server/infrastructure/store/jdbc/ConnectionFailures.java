package dev.tessera.server.infrastructure.store.jdbc;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a database that cannot be reached from one that refused a statement. Only the first kind becomes
 * {@code temporarily_unavailable}; a constraint violation or a syntax error stays a server error, because
 * retrying would not help.
 */
final class ConnectionFailures {
    // PostgreSQL SQLSTATEs for "the server is going away or not there yet" (Appendix A, class 57 and 53):
    // admin_shutdown (pg_ctl stop, a restart), crash_shutdown, cannot_connect_now (starting up or shutting down),
    // too_many_connections.
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    private ConnectionFailures() {
    }

    /**
     * Whether {@code e}, or an exception it wraps, says the connection could not be made or was lost: SQLSTATE
     * class 08 (connection exception; PgJDBC's refused, timed-out and broken connections), the codes above, or
     * the pool's timeout waiting for a connection (HikariCP's {@link SQLTransientConnectionException}).
     */
    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
