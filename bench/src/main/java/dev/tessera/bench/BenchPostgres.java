package dev.tessera.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;

/**
 * A throwaway PostgreSQL for load.sh's refresh mode (the zonky binaries the store tests use), listening on
 * 127.0.0.1 only. Prints {@code POSTGRES_URL=jdbc:postgresql://127.0.0.1:PORT/postgres} once it accepts
 * connections, and stops the server and deletes its data when standard input closes or the process is
 * terminated. Durability settings stay at PostgreSQL's defaults (fsync, synchronous_commit on), so a
 * refresh's rotation write costs what it would in production on this disk.
 */
public final class BenchPostgres {
    private BenchPostgres() {
    }

    public static void main(String[] args) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("BenchPostgres: stopping PostgreSQL failed: " + e);
            }
        }));
        System.out.println("POSTGRES_URL=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the script to close our standard input
        }
        System.exit(0);
    }
}
