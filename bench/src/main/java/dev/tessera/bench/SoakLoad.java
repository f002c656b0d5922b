package dev.tessera.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A steady, mixed load for long runs (bench/soak.sh): at a fixed rate, in a repeating pattern of ten requests,
 * four client_credentials tokens, two refresh_token grants (each with the refresh token the previous one
 * returned, so the rotation chain is walked for the whole run), two introspections of the latest access token,
 * and two JWKS fetches. A few worker threads take the next slot of the schedule, so one slow answer delays
 * nothing else; if the server cannot keep up the achieved rate says so. Each worker has its own keep-alive
 * connection ({@link KeepAliveConnection}, as the other generators). Only loopback targets; bounded in time.
 *
 * <pre>
 * BENCH_SECRET=.. BENCH_REFRESH=.. java -cp CLASSPATH dev.tessera.bench.SoakLoad --url http://127.0.0.1:8080 \
 *      --client soak --secret-env BENCH_SECRET --refresh-env BENCH_REFRESH --rate 60 --seconds 1800
 * </pre>
 * Every minute it prints one line of counts; the last line is {@code RESULT ...}, machine-readable.
 */
public final class SoakLoad {
    private static final int MAX_SECONDS = 24 * 3600;
    private static final int WORKERS = 4;
    private static final String[] PATTERN = {"client_credentials", "jwks", "refresh_token", "introspect",
            "client_credentials", "client_credentials", "jwks", "refresh_token", "introspect", "client_credentials"};
    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");

    private final URI base;
    private final String authorization;
    private final byte[] jwksRequest;
    private final AtomicReference<String> latestAccessToken = new AtomicReference<>();
    private final Object refreshChain = new Object();
    private String refreshToken; // guarded by refreshChain: one rotation at a time, each with the newest token
    private final Map<String, LongAdder> ok = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    SoakLoad(URI base, String clientId, String secret, String refreshToken) {
        this.base = base;
        String credentials = form(clientId) + ":" + form(secret);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        this.refreshToken = refreshToken;
        this.jwksRequest = (KeepAliveConnection.requestHead("GET", base.resolve("/.well-known/jwks.json")) + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        LoadArgs values = LoadArgs.parse(args);
        URI base = URI.create(values.get("url", ""));
        LoadArgs.requireLoopback(base);
        String secret = values.fromEnvironment("secret-env", "the client secret");
        String refresh = values.fromEnvironment("refresh-env", "a refresh token");
        double rate = Double.parseDouble(values.get("rate", "60"));
        int seconds = Integer.parseInt(values.get("seconds", "1800"));
        if (rate <= 0 || rate > 1000 || seconds < 1 || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException("--rate must be in (0, 1000] and --seconds in [1, " + MAX_SECONDS + "]");
        }
        new SoakLoad(base, values.get("client", "soak"), secret, refresh).run(rate, seconds);
    }

    void run(double rate, int seconds) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        long interval = (long) (1e9 / rate);
        AtomicLong nextSlot = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Thread thread = new Thread(() -> {
                try (KeepAliveConnection connection = new KeepAliveConnection(base)) {
                    while (true) {
                        long slot = nextSlot.getAndIncrement();
                        long due = start + slot * interval;
                        if (due >= end) {
                            return;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            try {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        request(PATTERN[(int) (slot % PATTERN.length)], connection);
                    }
                }
            }, "soak-" + w);
            thread.start();
            threads.add(thread);
        }
        long nextReport = start + Duration.ofMinutes(1).toNanos();
        while (threads.stream().anyMatch(Thread::isAlive)) {
            threads.get(0).join(1000);
            if (System.nanoTime() >= nextReport) {
                System.out.printf(Locale.ROOT, "%.0f s: ok %s, failed %s%n", (System.nanoTime() - start) / 1e9,
                        counts(ok), counts(failed));
                nextReport += Duration.ofMinutes(1).toNanos();
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long okTotal = total(ok);
        long failedTotal = total(failed);
        if (firstFailure.get() != null) {
            System.out.println("first failure: " + firstFailure.get());
        }
        System.out.printf(Locale.ROOT, "RESULT seconds=%.0f requests=%d failures=%d rate=%.1f ok=%s failed=%s%n",
                elapsed, okTotal + failedTotal, failedTotal, (okTotal + failedTotal) / elapsed, counts(ok), counts(failed));
        System.exit(failedTotal == 0 && okTotal > 0 ? 0 : 1);
    }

    private void request(String kind, KeepAliveConnection connection) {
        try {
            boolean success = switch (kind) {
                case "client_credentials" -> clientCredentials(connection);
                case "refresh_token" -> refresh(connection);
                case "introspect" -> introspect(connection);
                default -> jwks(connection);
            };
            (success ? ok : failed).computeIfAbsent(kind, k -> new LongAdder()).increment();
        } catch (IOException | RuntimeException e) {
            fail(kind, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private boolean clientCredentials(KeepAliveConnection connection) throws IOException {
        KeepAliveConnection.Answer answer = post(connection, "/token", "grant_type=client_credentials&scope=api.read");
        Matcher token = ACCESS_TOKEN.matcher(answer.body());
        if (answer.status() != 200 || !token.find()) {
            return failure("client_credentials", answer);
        }
        latestAccessToken.set(token.group(1));
        return true;
    }

    private boolean refresh(KeepAliveConnection connection) throws IOException {
        synchronized (refreshChain) {
            KeepAliveConnection.Answer answer = post(connection, "/token",
                    "grant_type=refresh_token&refresh_token=" + form(refreshToken));
            Matcher next = REFRESH_TOKEN.matcher(answer.body());
            if (answer.status() != 200 || !next.find()) {
                return failure("refresh_token", answer);
            }
            refreshToken = next.group(1);
            return true;
        }
    }

    private boolean introspect(KeepAliveConnection connection) throws IOException {
        String token = latestAccessToken.get();
        if (token == null) {
            return jwks(connection); // no token yet in the first slots: keep the rate
        }
        KeepAliveConnection.Answer answer = post(connection, "/introspect", "token=" + form(token));
        if (answer.status() != 200 || !answer.body().contains("\"active\"")) {
            return failure("introspect", answer);
        }
        return true;
    }

    private boolean jwks(KeepAliveConnection connection) throws IOException {
        KeepAliveConnection.Answer answer = connection.exchange(jwksRequest, true);
        if (answer.status() != 200 || !answer.body().contains("\"keys\"")) {
            return failure("jwks", answer);
        }
        return true;
    }

    private KeepAliveConnection.Answer post(KeepAliveConnection connection, String path, String body)
            throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = KeepAliveConnection.requestHead("POST", base.resolve(path))
                + "Authorization: " + authorization + "\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + content.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(content, 0, request, headBytes.length, content.length);
        return connection.exchange(request, true);
    }

    private boolean failure(String kind, KeepAliveConnection.Answer answer) {
        String body = answer.body().replaceAll("\\s+", " ");
        firstFailure.compareAndSet(null, kind + ": HTTP " + answer.status() + " "
                + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
        return false;
    }

    private void fail(String kind, String why) {
        failed.computeIfAbsent(kind, k -> new LongAdder()).increment();
        firstFailure.compareAndSet(null, kind + ": " + why);
    }

    private static String counts(Map<String, LongAdder> counts) {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((kind, n) -> sorted.put(kind, n.sum()));
        return sorted.toString().replace(" ", "");
    }

    private static long total(Map<String, LongAdder> counts) {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
