package dev.tessera.server.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A PostgreSQL server of its own (zonky) that a test can stop and start again on the same port and data directory,
 * as an operator restarting the database would. Not the shared one of {@code PostgresTestDatabase}: stopping that
 * would break every other test in the JVM.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private int port;
    private EmbeddedPostgres running;

    private RestartablePostgres(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** Initialises a cluster in {@code dataDir} and starts it on a free port. */
    public static RestartablePostgres start(Path dataDir) {
        RestartablePostgres postgres = new RestartablePostgres(dataDir);
        postgres.startServer();
        return postgres;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    /** pg_ctl stop (fast mode: open sessions are terminated, as in a restart); the data stays. */
    public void stop() {
        try {
            running.close();
            running = null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the stopped server again on the same port and data directory. */
    public void restart() {
        if (running != null) {
            throw new IllegalStateException("already running");
        }
        startServer();
    }

    private void startServer() {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(true)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
            if (port != 0) {
                builder.setPort(port);
            }
            running = builder.start();
            port = running.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (running != null) {
            stop();
        }
    }
}
