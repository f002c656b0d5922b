package dev.tessera.server.infrastructure.store.jdbc;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionFailuresTest {

    @Test
    void aRefusedOrBrokenConnectionAndAServerShuttingDownAreUnavailable() {
        assertThat(ConnectionFailures.isUnavailable(new SQLException("Connection to 127.0.0.1:5432 refused", "08001",
                new ConnectException("Connection refused")))).isTrue();
        assertThat(ConnectionFailures.isUnavailable(new SQLException("An I/O error occurred", "08006"))).isTrue();
        assertThat(ConnectionFailures.isUnavailable(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
        assertThat(ConnectionFailures.isUnavailable(new SQLException("the database system is starting up", "57P03")))
                .isTrue();
        assertThat(ConnectionFailures.isUnavailable(new SQLTransientConnectionException("request timed out"))).isTrue();
    }

    @Test
    void aFailureWrappedInAnotherIsRecognised() {
        SQLException outer = new SQLException("transaction failed", "XX000",
                new SQLException("An I/O error occurred", "08006"));

        assertThat(ConnectionFailures.isUnavailable(outer)).isTrue();
    }

    @Test
    void statementErrorsAreNotOutages() {
        assertThat(ConnectionFailures.isUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(ConnectionFailures.isUnavailable(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(ConnectionFailures.isUnavailable(new SQLException("no state"))).isFalse();
    }
}
