package dev.tessera.server.infrastructure.store;

import com.zaxxer.hikari.HikariDataSource;
import dev.tessera.server.application.port.Stores;
import dev.tessera.server.testsupport.MutableClock;

/**
 * What every storage contract needs from a backend: the stores under test, a clock the test moves,
 * and the raw pool for checks that look beneath the ports. Each test starts with empty tables.
 */
public interface StoreFixture {
    Stores stores();

    MutableClock clock();

    HikariDataSource dataSource();
}
