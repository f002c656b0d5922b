package dev.tessera.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Load generator for cheap {@code GET}s (JWKS, discovery, /healthz): worker threads that each keep one plain
 * HTTP/1.1 keep-alive socket ({@link KeepAliveConnection}) and send the same pre-built request again and again.
 * Refuses any target that is not a loopback address, and stops at the deadline or the request budget.
 *
 * <pre>
 * java -cp CLASSPATH dev.tessera.bench.GetLoad --url http://127.0.0.1:8080/.well-known/jwks.json \
 *      --connections 16 --seconds 20 --warmup-seconds 5 [--if-none-match '"tag"'] [--expect 304]
 * </pre>
 * The last line printed is machine-readable: {@code RESULT connections=.. requests_per_s=.. ...}.
 */
public final class GetLoad {
    private static final int MAX_SECONDS = 600;
    private static final long HARD_REQUEST_CAP = 50_000_000;

    private final Settings settings;
    private final byte[] request;

    record Settings(URI url, int connections, int seconds, int warmupSeconds, long maxRequests, String ifNoneMatch,
            int expect) {
    }

    record Tally(long ok, long otherStatus, long errors, double seconds, Map<Integer, Long> statuses, String firstFailure) {
        double perSecond() {
            return ok / seconds;
        }
    }

    GetLoad(Settings settings) {
        this.settings = settings;
        StringBuilder text = new StringBuilder(KeepAliveConnection.requestHead("GET", settings.url()))
                .append("Accept: application/json\r\n")
                .append("User-Agent: tessera-bench-getload\r\n");
        if (settings.ifNoneMatch() != null) {
            text.append("If-None-Match: ").append(settings.ifNoneMatch()).append("\r\n");
        }
        this.request = text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        GetLoad load = new GetLoad(settings);
        if (settings.warmupSeconds() > 0) {
            Tally warmup = load.run(settings.warmupSeconds());
            System.out.printf(Locale.ROOT, "warm-up: %d answers in %.1f s (not counted)%n", warmup.ok(), warmup.seconds());
        }
        Tally tally = load.run(settings.seconds());
        System.out.printf(Locale.ROOT, "%s, %d connections, %.1f s: %d answers %d, %d other answers %s, %d errors%n",
                settings.url().getRawPath(), settings.connections(), tally.seconds(), tally.ok(), settings.expect(),
                tally.otherStatus(), tally.statuses(), tally.errors());
        if (tally.firstFailure() != null) {
            System.out.println("first failure: " + tally.firstFailure());
        }
        System.out.printf(Locale.ROOT, "RESULT connections=%d seconds=%.2f requests=%d failures=%d requests_per_s=%.1f%n",
                settings.connections(), tally.seconds(), tally.ok(), tally.otherStatus() + tally.errors(), tally.perSecond());
        System.exit(tally.ok() > 0 ? 0 : 1);
    }

    Tally run(int seconds) throws InterruptedException {
        LoadPhase phase = LoadPhase.run(seconds, settings.maxRequests(), settings.connections(), "get-load",
                p -> w -> () -> work(p));
        return new Tally(phase.ok.sum(), phase.otherStatus.sum(), phase.errors.sum(), phase.seconds(),
                phase.statusCounts(), phase.firstFailure());
    }

    private void work(LoadPhase phase) {
        try (KeepAliveConnection connection = phase.watch(new KeepAliveConnection(settings.url(), false))) {
            while (phase.goOn()) {
                try {
                    int status = connection.exchange(request, false).status();
                    if (status == settings.expect()) {
                        phase.ok.increment();
                    } else {
                        phase.unexpected(status, "HTTP " + status);
                    }
                } catch (IOException e) {
                    phase.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
    }

    static Settings parse(String[] args) throws IOException {
        LoadArgs values = LoadArgs.parse(args);
        URI url = values.loopbackUrl();
        int connections = values.bounded("connections", 16, 1, 256);
        int seconds = values.bounded("seconds", 20, 1, MAX_SECONDS);
        int warmup = values.bounded("warmup-seconds", 0, 0, MAX_SECONDS);
        long maxRequests = Math.min(HARD_REQUEST_CAP, Long.parseLong(values.get("max-requests", "20000000")));
        int expect = values.bounded("expect", 200, 100, 599);
        String ifNoneMatch = values.get("if-none-match", null);
        if (ifNoneMatch != null && ifNoneMatch.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("--if-none-match must be one header line");
        }
        return new Settings(url, connections, seconds, warmup, maxRequests, ifNoneMatch, expect);
    }
}
