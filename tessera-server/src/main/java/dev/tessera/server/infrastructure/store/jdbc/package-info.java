/**
 * JDBC adapters for the storage ports: one implementation for embedded H2 and PostgreSQL, the
 * {@link dev.tessera.server.infrastructure.store.jdbc.SqlDialect} for the few statements that differ,
 * the pool ({@link dev.tessera.server.infrastructure.store.jdbc.DataSources}) and the Flyway schema
 * ({@link dev.tessera.server.infrastructure.store.jdbc.Migrations}).
 *
 * <p>Conventions: instants are {@code TIMESTAMP} (without time zone) columns holding UTC wall time,
 * truncated to microseconds, so neither the JVM nor the database session time zone ever shifts them;
 * bearer secrets are stored only as {@link dev.tessera.server.domain.token.TokenHash}; nested values
 * (lists, maps, policies) are JSON text in unbounded {@code VARCHAR} columns.
 *
 * <p>Depends on: domain, application.port, JDBC, HikariCP, Flyway, Jackson.
 */
package dev.tessera.server.infrastructure.store.jdbc;
