package dev.tessera.server.infrastructure.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.ToIntFunction;

/**
 * The store's connection pool, read from HikariCP's pool bean at scrape time, under the names HikariCP's own
 * Micrometer tracker uses (so its dashboards work). Not that tracker: it would time every connection checkout on
 * the request path.
 */
public final class PoolMetrics {
    private PoolMetrics() {
    }

    public static void bindTo(MeterRegistry registry, HikariDataSource pool) {
        String name = pool.getPoolName();
        gauge(registry, "hikaricp.connections.active", "Connections in use", name, pool, HikariPoolMXBean::getActiveConnections);
        gauge(registry, "hikaricp.connections.idle", "Idle connections", name, pool, HikariPoolMXBean::getIdleConnections);
        gauge(registry, "hikaricp.connections.pending", "Threads waiting for a connection", name, pool,
                HikariPoolMXBean::getThreadsAwaitingConnection);
        gauge(registry, "hikaricp.connections", "Open connections", name, pool, HikariPoolMXBean::getTotalConnections);
        Gauge.builder("hikaricp.connections.max", pool, HikariDataSource::getMaximumPoolSize)
                .description("Largest number of connections the pool opens").tag("pool", name).register(registry);
    }

    private static void gauge(MeterRegistry registry, String meter, String description, String name,
                              HikariDataSource pool, ToIntFunction<HikariPoolMXBean> read) {
        Gauge.builder(meter, pool, p -> {
            HikariPoolMXBean bean = p.isClosed() ? null : p.getHikariPoolMXBean();
            return bean == null ? Double.NaN : read.applyAsInt(bean);
        }).description(description).tag("pool", name).register(registry);
    }
}
