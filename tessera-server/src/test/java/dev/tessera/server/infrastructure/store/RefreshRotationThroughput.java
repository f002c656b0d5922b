package dev.tessera.server.infrastructure.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tessera.server.application.port.RefreshTokenStore;
import dev.tessera.server.application.port.RefreshTokenStore.Rotation;
import dev.tessera.server.bootstrap.StoreWiring;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.token.RefreshToken;
import dev.tessera.server.infrastructure.store.jdbc.DataSources;
import dev.tessera.server.infrastructure.store.jdbc.Migrations;
import dev.tessera.server.infrastructure.store.jdbc.SqlDialect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What WRITE_DELAY=0 costs: refresh rotations per second on two embedded H2 files in one run, one opened with
 * H2's default write delay (the URL before the durability fix) and one with {@link DataSources}' URL, in
 * alternating rounds so both see the same machine load. A measurement to read, not a test: run its main()
 * with the test classpath; arguments: seconds per round (3), rounds (5), threads (4).
 */
public final class RefreshRotationThroughput {
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createTempDirectory("tessera-rotation-throughput");
        String durable = DataSources.h2FileUrl(dir.resolve("durable"));
        String delayed = DataSources.h2FileUrl(dir.resolve("delayed")).replace(";WRITE_DELAY=0", "");
        try (HikariDataSource before = pool(delayed, threads); HikariDataSource after = pool(durable, threads)) {
            RefreshTokenStore delayedStore = StoreWiring.jdbc(before, SqlDialect.H2).refreshTokens();
            RefreshTokenStore durableStore = StoreWiring.jdbc(after, SqlDialect.H2).refreshTokens();
            for (int warmUp = 0; warmUp < 3; warmUp++) { // JIT, pools, the first chunks
                measure(delayedStore, 2.0, threads);
                measure(durableStore, 2.0, threads);
            }
            double[] delayedRates = new double[rounds];
            double[] durableRates = new double[rounds];
            for (int round = 0; round < rounds; round++) {
                delayedRates[round] = measure(delayedStore, seconds, threads);
                durableRates[round] = measure(durableStore, seconds, threads);
                System.out.printf("round %d: WRITE_DELAY default %.0f rotations/s, WRITE_DELAY=0 %.0f rotations/s; "
                        + "files %d and %d KiB%n", round + 1, delayedRates[round], durableRates[round],
                        kib(dir.resolve("delayed.mv.db")), kib(dir.resolve("durable.mv.db")));
            }
            double delayedMedian = median(delayedRates);
            double durableMedian = median(durableRates);
            System.out.printf("median over %d rounds of %.0f s, %d threads: default %.0f/s, WRITE_DELAY=0 %.0f/s, "
                    + "ratio %.2f%n", rounds, seconds, threads, delayedMedian, durableMedian, durableMedian / delayedMedian);
        }
    }

    private static long kib(Path file) throws java.io.IOException {
        return Files.size(file) / 1024;
    }

    private static HikariDataSource pool(String url, int threads) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setMaximumPoolSize(threads + 2);
        HikariDataSource dataSource = new HikariDataSource(config);
        Migrations.migrate(dataSource);
        return dataSource;
    }

    /** Each thread rotates its own family, presenting the successor it got last, like a client does. */
    private static double measure(RefreshTokenStore store, double seconds, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<Long>> counts = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            counts.add(pool.submit(() -> {
                RefreshToken current = firstOfFamily(Instant.now());
                store.save(current);
                long rotations = 0;
                while (System.nanoTime() < end) {
                    Instant now = Instant.now();
                    Rotation rotation = store.rotate(current.hash(), successorOf(current, now), now);
                    current = ((Rotation.Rotated) rotation).successor();
                    rotations++;
                }
                return rotations;
            }));
        }
        long total = 0;
        for (Future<Long> count : counts) {
            total += count.get();
        }
        pool.shutdown();
        return total / ((System.nanoTime() - start) / 1e9);
    }

    private static RefreshToken firstOfFamily(Instant now) {
        return new RefreshToken(OpaqueToken.generate(OpaqueToken.REFRESH_PREFIX).hash(), GrantId.random(), "client-a",
                "user-1", Scopes.of("openid", "offline_access"),
                new AuthenticationEvent(now, "urn:tessera:acr:pwd", List.of("pwd")), "sid-1", List.of(), now,
                now.plus(Duration.ofDays(30)), now.plus(Duration.ofDays(90)));
    }

    private static RefreshToken successorOf(RefreshToken previous, Instant now) {
        return new RefreshToken(OpaqueToken.generate(OpaqueToken.REFRESH_PREFIX).hash(), previous.grantId(),
                previous.clientId(), previous.userId(), previous.scopes(), previous.authentication(),
                previous.sessionId(), previous.resources(), now, now.plus(Duration.ofDays(30)),
                previous.familyExpiresAt());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
