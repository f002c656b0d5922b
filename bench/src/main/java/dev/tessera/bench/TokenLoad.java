package dev.tessera.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Load generator for {@code POST /token} with {@code grant_type=client_credentials} (or any form body given
 * with {@code --form-env}, e.g. a token exchange) and {@code client_secret_basic}: a fixed number of worker threads,
 * each with its own raw keep-alive connection ({@link KeepAliveConnection}), loop until the deadline or the request
 * budget runs out. Only 200 answers that carry an
 * {@code access_token} count as tokens. Refuses any target that is not a loopback address.
 *
 * <pre>
 * java -cp CLASSPATH dev.tessera.bench.TokenLoad --url http://127.0.0.1:8080/token --client bench \
 *      --secret-env BENCH_SECRET --scope api.read --connections 16 --seconds 20 --warmup-seconds 5
 * </pre>
 * With {@code --refresh-tokens-env VAR} (one refresh token per connection) each worker runs the refresh_token
 * grant on its own chain instead, counting answers that carry a new refresh token and an ID token.
 * With {@code --server-pid PID} (and {@code --clock-ticks}, what {@code getconf CLK_TCK} says, 100 unless set) it
 * also reports the server process's CPU time per token over the measured run ({@code server_cpu_ms_per_token}).
 * The last line printed is machine-readable: {@code RESULT connections=.. tokens_per_s=.. ...}.
 */
public final class TokenLoad {
    private static final long HARD_REQUEST_CAP = 5_000_000;
    private static final int MAX_SECONDS = 600;

    private final Settings settings;
    private final String authorization;
    private final String body;
    /** The request line and the headers every request carries, up to Content-Length. */
    private final String head;

    /**
     * @param form the whole request body when set (e.g. a token exchange); null means client_credentials
     * @param refreshTokens one refresh token per worker for the refresh_token grant, else null: each worker
     *                      rotates its own chain, sending the refresh token of the previous answer every time
     */
    record Settings(URI url, String clientId, String secret, String scope, int connections, int seconds,
            int warmupSeconds, long maxRequests, String form, List<String> refreshTokens, ProcessCpu server) {
    }

    private static final java.util.regex.Pattern REFRESH_TOKEN =
            java.util.regex.Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final java.util.regex.Pattern ID_TOKEN =
            java.util.regex.Pattern.compile("\"id_token\"\\s*:\\s*\"");
    /** The refresh mode's current token per worker, carried from the warm-up into the measured run. */
    private final String[] chains;

    /** What one phase counted; latencies in nanoseconds of the successful requests. */
    record Tally(long ok, long otherStatus, long errors, double seconds, long[] latencies, Map<Integer, Long> statuses,
            String firstFailure) {
        double tokensPerSecond() {
            return ok / seconds;
        }

        double latencyMillis(double quantile) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latencies.length - 1, Math.ceil(quantile * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1e6;
        }
    }

    TokenLoad(Settings settings) {
        this.settings = settings;
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded
        String credentials = form(settings.clientId()) + ":" + form(settings.secret());
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.body = settings.form() != null ? settings.form()
                : "grant_type=client_credentials" + (settings.scope().isEmpty() ? "" : "&scope=" + form(settings.scope()));
        this.head = KeepAliveConnection.requestHead("POST", settings.url())
                + "Authorization: " + authorization + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Accept: application/json\r\n"
                + "User-Agent: tessera-bench-tokenload\r\n";
        this.chains = settings.refreshTokens() == null ? null : settings.refreshTokens().toArray(String[]::new);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        TokenLoad load = new TokenLoad(settings);
        if (settings.warmupSeconds() > 0) {
            Tally warmup = load.run(settings.warmupSeconds());
            System.out.printf(Locale.ROOT, "warm-up: %d tokens in %.1f s (not counted)%n", warmup.ok(), warmup.seconds());
        }
        double cpuBefore = settings.server() == null ? 0 : settings.server().millis();
        double jitBefore = settings.server() == null ? 0 : settings.server().compilerMillis();
        long ownCpuBefore = ownCpuNanos();
        Tally tally = load.run(settings.seconds());
        double serverMillis = settings.server() == null ? 0 : settings.server().millis() - cpuBefore;
        String serverCpu = settings.server() == null || tally.ok() == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.4f", serverMillis / tally.ok());
        // The share of that CPU the server's JIT compilers took: near 0 once the server runs at steady state.
        String serverJit = settings.server() == null || serverMillis <= 0 ? "n/a"
                : String.format(Locale.ROOT, "%.3f", (settings.server().compilerMillis() - jitBefore) / serverMillis);
        // This generator's own CPU per answer: it shares the cores with the server, so every millisecond here is
        // one the server did not get.
        String ownCpu = tally.ok() == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.4f", (ownCpuNanos() - ownCpuBefore) / 1e6 / tally.ok());
        System.out.printf(Locale.ROOT, "%d connections, %.1f s: %d tokens, %d other answers %s, %d errors; "
                        + "latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms%n",
                settings.connections(), tally.seconds(), tally.ok(), tally.otherStatus(), tally.statuses(), tally.errors(),
                tally.latencyMillis(0.50), tally.latencyMillis(0.90), tally.latencyMillis(0.99));
        if (tally.firstFailure() != null) {
            System.out.println("first failure: " + tally.firstFailure());
        }
        System.out.printf(Locale.ROOT, "RESULT connections=%d seconds=%.2f tokens=%d failures=%d tokens_per_s=%.1f "
                        + "p50_ms=%.1f p99_ms=%.1f server_cpu_ms_per_token=%s generator_cpu_ms_per_token=%s "
                        + "server_jit_share=%s%n",
                settings.connections(), tally.seconds(), tally.ok(), tally.otherStatus() + tally.errors(),
                tally.tokensPerSecond(), tally.latencyMillis(0.50), tally.latencyMillis(0.99), serverCpu, ownCpu,
                serverJit);
        System.exit(tally.ok() > 0 ? 0 : 1);
    }

    /** This JVM's CPU time so far (user + system, every thread). */
    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Runs all workers for {@code seconds}; each stops at the deadline or when the shared budget is spent. */
    Tally run(int seconds) throws InterruptedException {
        List<Worker> workers = new ArrayList<>();
        LoadPhase phase = LoadPhase.run(seconds, settings.maxRequests(), settings.connections(), "token-load",
                p -> w -> {
                    Worker worker = new Worker(p, w);
                    synchronized (workers) {
                        workers.add(worker);
                    }
                    return worker;
                });
        long[] latencies = workers.stream().flatMapToLong(Worker::latencies).sorted().toArray();
        return new Tally(phase.ok.sum(), phase.otherStatus.sum(), phase.errors.sum(), phase.seconds(), latencies,
                phase.statusCounts(), phase.firstFailure());
    }

    /** The whole request, head and body, as the socket sends it. */
    private byte[] request(String form) {
        byte[] content = form.getBytes(StandardCharsets.UTF_8);
        byte[] headers = (head + "Content-Length: " + content.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] whole = Arrays.copyOf(headers, headers.length + content.length);
        System.arraycopy(content, 0, whole, headers.length, content.length);
        return whole;
    }

    /** One synchronous request after another on this worker's own keep-alive connection. */
    private final class Worker implements Runnable {
        private final LoadPhase phase;
        private final int index;
        private long[] latencies = new long[1024];
        private int count;

        Worker(LoadPhase phase, int index) {
            this.phase = phase;
            this.index = index;
        }

        @Override
        public void run() {
            byte[] fixed = chains == null ? request(body) : null;
            try (KeepAliveConnection connection = phase.watch(new KeepAliveConnection(settings.url(), false))) {
                while (phase.goOn()) {
                    if (chains != null && chains[index] == null) {
                        return; // this worker's chain broke on an earlier failure: a reused token would revoke it
                    }
                    byte[] request = fixed != null ? fixed
                            : request("grant_type=refresh_token&refresh_token=" + form(chains[index]));
                    long sent = System.nanoTime();
                    try {
                        KeepAliveConnection.Answer answer = connection.exchange(request, true);
                        long took = System.nanoTime() - sent;
                        if (answer.status() == 200 && answer.body().contains("\"access_token\"")
                                && (chains == null || rotated(answer.body()))) {
                            phase.ok.increment();
                            record(took);
                        } else {
                            if (chains != null) {
                                chains[index] = null;
                            }
                            phase.unexpected(answer.status(), "HTTP " + answer.status() + " " + abbreviate(answer.body()));
                        }
                    } catch (IOException e) {
                        if (chains != null) {
                            chains[index] = null; // the server may have rotated it without our seeing the answer
                        }
                        phase.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
            }
        }

        /** Takes the next refresh token of this worker's chain; a refresh answer must also carry an ID token. */
        private boolean rotated(String answer) {
            java.util.regex.Matcher next = REFRESH_TOKEN.matcher(answer);
            if (!next.find() || !ID_TOKEN.matcher(answer).find()) {
                return false;
            }
            chains[index] = next.group(1);
            return true;
        }

        private void record(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        LongStream latencies() {
            return Arrays.stream(latencies, 0, count);
        }
    }

    /** Error answers from /token carry no secrets, but keep the line short. */
    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Settings parse(String[] args) throws IOException {
        LoadArgs values = LoadArgs.parse(args);
        URI url = values.loopbackUrl();
        // the secret comes from the environment so it never shows in a process listing
        String secret = values.fromEnvironment("secret-env", "the client secret");
        int connections = values.bounded("connections", 4, 1, 256);
        int seconds = values.bounded("seconds", 20, 1, MAX_SECONDS);
        int warmup = values.bounded("warmup-seconds", 0, 0, MAX_SECONDS);
        long maxRequests = Math.min(HARD_REQUEST_CAP, Long.parseLong(values.get("max-requests", "1000000")));
        // A body holding a subject token also comes from the environment, never from argv.
        String body = values.get("form-env", null) == null ? null : values.fromEnvironment("form-env", "the form body");
        // Refresh tokens too: one per worker, whitespace-separated, from the environment.
        List<String> refreshTokens = null;
        if (values.get("refresh-tokens-env", null) != null) {
            String raw = System.getenv(values.get("refresh-tokens-env", null));
            refreshTokens = raw == null ? List.of() : Arrays.stream(raw.trim().split("\\s+")).filter(t -> !t.isEmpty()).toList();
            if (refreshTokens.size() < connections) {
                throw new IllegalArgumentException("--refresh-tokens-env must hold one refresh token per connection ("
                        + connections + "), not " + refreshTokens.size());
            }
            refreshTokens = refreshTokens.subList(0, connections);
        }
        String pid = values.get("server-pid", null);
        ProcessCpu server = pid == null ? null
                : new ProcessCpu(Long.parseLong(pid), values.bounded("clock-ticks", 100, 1, 100_000));
        return new Settings(url, values.required("client"), secret, values.get("scope", ""), connections, seconds,
                warmup, maxRequests, body, refreshTokens, server);
    }
}
