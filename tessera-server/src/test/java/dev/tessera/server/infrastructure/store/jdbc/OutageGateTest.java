package dev.tessera.server.infrastructure.store.jdbc;

import dev.tessera.server.application.port.StoreUnavailableException;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutageGateTest {
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final FakePool pool = new FakePool();
    private final OutageGate gate = new OutageGate(pool.dataSource(), INTERVAL, nanos::get);

    @Test
    void aReachableDatabaseIsBorrowedFromEveryTime() throws SQLException {
        gate.borrow();
        gate.borrow();

        assertThat(pool.borrows.get()).isEqualTo(2);
        assertThat(gate.isDown()).isFalse();
    }

    @Test
    void afterThePoolTimedOutOtherBorrowersFailAtOnceWithoutAskingThePool() {
        pool.reachable.set(false);
        assertThatThrownBy(gate::borrow).isInstanceOf(SQLTransientConnectionException.class);

        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(gate::borrow).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("unreachable");
        }
        assertThat(pool.borrows.get()).isEqualTo(1);
        assertThat(gate.isDown()).isTrue();
    }

    @Test
    void onceTheRetryIntervalHasPassedOneBorrowerTriesAgainAndSuccessOpensTheGate() throws SQLException {
        pool.reachable.set(false);
        assertThatThrownBy(gate::borrow).isInstanceOf(SQLException.class);
        nanos.addAndGet(INTERVAL.toNanos());
        assertThatThrownBy(gate::borrow).isInstanceOf(SQLException.class); // tried, still down
        assertThat(pool.borrows.get()).isEqualTo(2);

        pool.reachable.set(true);
        assertThatThrownBy(gate::borrow).isInstanceOf(StoreUnavailableException.class); // not due yet
        nanos.addAndGet(INTERVAL.toNanos());
        gate.borrow();
        gate.borrow();

        assertThat(gate.isDown()).isFalse();
        assertThat(pool.borrows.get()).isEqualTo(4);
    }

    @Test
    void aFailureThatIsNotAboutReachingTheDatabaseLeavesTheGateOpen() {
        pool.failure = new SQLException("password authentication failed", "28P01");

        assertThatThrownBy(gate::borrow).isInstanceOf(SQLException.class);
        assertThatThrownBy(gate::borrow).isInstanceOf(SQLException.class).isNotInstanceOf(StoreUnavailableException.class);
        assertThat(gate.isDown()).isFalse();
        assertThat(pool.borrows.get()).isEqualTo(2);
    }

    /** A data source that hands out inert connections, or fails like HikariCP's timeout when unreachable. */
    private static final class FakePool {
        final AtomicBoolean reachable = new AtomicBoolean(true);
        final AtomicInteger borrows = new AtomicInteger();
        volatile SQLException failure;

        DataSource dataSource() {
            return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("getConnection")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        borrows.incrementAndGet();
                        if (failure != null) {
                            throw failure;
                        }
                        if (!reachable.get()) {
                            throw new SQLTransientConnectionException("pool - Connection is not available, request"
                                    + " timed out after 1000ms", "08001");
                        }
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                                (c, m, a) -> null);
                    });
        }
    }
}
