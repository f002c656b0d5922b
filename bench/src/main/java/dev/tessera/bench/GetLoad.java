package dev.tessera.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load generator for cheap {@code GET}s (JWKS, discovery, /healthz): worker threads that each keep one plain
 * HTTP/1.1 keep-alive socket and send the same pre-built request again and again. {@code java.net.http} costs more
 * CPU per request than a JWKS answer does, and the load generator shares the two cores with the server, so this
 * one writes bytes and reads the answer by hand: status line, headers, then a Content-Length or chunked body.
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
    private static final int MAX_HEADER_LINE = 8192;

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
        URI url = settings.url();
        String target = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            target += "?" + url.getRawQuery();
        }
        StringBuilder text = new StringBuilder()
                .append("GET ").append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(port(url)).append("\r\n")
                .append("Accept: application/json\r\n")
                .append("User-Agent: tessera-bench-getload\r\n");
        if (settings.ifNoneMatch() != null) {
            text.append("If-None-Match: ").append(settings.ifNoneMatch()).append("\r\n");
        }
        this.request = text.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    public static void main(String[] args) throws Exception {
        Settings settings = parse(args);
        TokenLoad.requireLoopback(settings.url());
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
        Phase phase = new Phase(System.nanoTime() + Duration.ofSeconds(seconds).toNanos(), settings.maxRequests());
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < settings.connections(); w++) {
            Thread thread = new Thread(() -> work(phase), "get-load-" + w);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<Integer, Long> statusCounts = new HashMap<>();
        synchronized (phase.statuses) {
            statusCounts.putAll(phase.statuses);
        }
        return new Tally(phase.ok.sum(), phase.otherStatus.sum(), phase.errors.sum(), elapsed, statusCounts,
                phase.firstFailure);
    }

    private void work(Phase phase) {
        Connection connection = null;
        try {
            while (phase.goOn()) {
                try {
                    if (connection == null) {
                        connection = connect();
                    }
                    connection.out().write(request);
                    connection.out().flush();
                    Answer answer = read(connection.in());
                    if (answer.status() == settings.expect()) {
                        phase.ok.increment();
                    } else {
                        phase.otherStatus.increment();
                        phase.count(answer.status());
                        phase.remember("HTTP " + answer.status());
                    }
                    if (answer.close()) {
                        connection.close();
                        connection = null;
                    }
                } catch (IOException e) {
                    phase.errors.increment();
                    phase.remember(e.getClass().getSimpleName() + ": " + e.getMessage());
                    closeQuietly(connection);
                    connection = null;
                }
            }
        } finally {
            closeQuietly(connection);
        }
    }

    /** One keep-alive socket; its input is buffered so reading headers byte by byte is not a syscall per byte. */
    private record Connection(Socket socket, InputStream in, OutputStream out) {
        void close() throws IOException {
            socket.close();
        }
    }

    private Connection connect() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress(settings.url().getHost(), port(settings.url())), 5_000);
        return new Connection(socket, new BufferedInputStream(socket.getInputStream(), 16 * 1024), socket.getOutputStream());
    }

    private record Answer(int status, boolean close) {
    }

    /** Reads one answer: the status line, the headers, and the body it announces (which is skipped). */
    private static Answer read(InputStream raw) throws IOException {
        String statusLine = line(raw);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        long length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String header = line(raw); !header.isEmpty(); header = line(raw)) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        boolean noBody = status == 304 || status == 204 || status / 100 == 1;
        if (noBody) {
            return new Answer(status, close);
        }
        if (chunked) {
            for (long size = Long.parseLong(line(raw).split(";", 2)[0].trim(), 16); size > 0;
                    size = Long.parseLong(line(raw).split(";", 2)[0].trim(), 16)) {
                skip(raw, size);
                line(raw); // the CRLF after each chunk
            }
            for (String trailer = line(raw); !trailer.isEmpty(); trailer = line(raw)) {
                // trailers are ignored
            }
        } else if (length >= 0) {
            skip(raw, length);
        } else {
            throw new IOException("an answer with neither Content-Length nor chunked encoding");
        }
        return new Answer(status, close);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-answer");
            }
            if (b == '\n') {
                int end = text.length();
                if (end > 0 && text.charAt(end - 1) == '\r') {
                    text.setLength(end - 1);
                }
                return text.toString();
            }
            if (text.length() >= MAX_HEADER_LINE) {
                throw new IOException("header line too long");
            }
            text.append((char) b);
        }
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("connection closed mid-body");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    private static final class Phase {
        final long deadline;
        final AtomicLong budget;
        final LongAdder ok = new LongAdder();
        final LongAdder otherStatus = new LongAdder();
        final LongAdder errors = new LongAdder();
        final Map<Integer, Long> statuses = new HashMap<>();
        volatile String firstFailure;

        Phase(long deadline, long budget) {
            this.deadline = deadline;
            this.budget = new AtomicLong(budget);
        }

        boolean goOn() {
            return System.nanoTime() < deadline && budget.getAndDecrement() > 0;
        }

        void count(int status) {
            synchronized (statuses) {
                statuses.merge(status, 1L, Long::sum);
            }
        }

        synchronized void remember(String failure) {
            if (firstFailure == null) {
                firstFailure = failure;
            }
        }
    }

    static Settings parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments come in pairs: --name value (at " + args[i] + ")");
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        String url = values.get("url");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("--url is required");
        }
        if (!url.startsWith("http://")) {
            throw new IllegalArgumentException("--url must be plain http:// (loopback, no TLS)");
        }
        int connections = bounded(values.getOrDefault("connections", "16"), "connections", 1, 256);
        int seconds = bounded(values.getOrDefault("seconds", "20"), "seconds", 1, MAX_SECONDS);
        int warmup = bounded(values.getOrDefault("warmup-seconds", "0"), "warmup-seconds", 0, MAX_SECONDS);
        long maxRequests = Math.min(HARD_REQUEST_CAP, Long.parseLong(values.getOrDefault("max-requests", "20000000")));
        int expect = bounded(values.getOrDefault("expect", "200"), "expect", 100, 599);
        String ifNoneMatch = values.get("if-none-match");
        if (ifNoneMatch != null && ifNoneMatch.chars().anyMatch(c -> c == '\r' || c == '\n')) {
            throw new IllegalArgumentException("--if-none-match must be one header line");
        }
        return new Settings(URI.create(url), connections, seconds, warmup, maxRequests, ifNoneMatch, expect);
    }

    private static int bounded(String raw, String name, int min, int max) {
        int value = Integer.parseInt(raw);
        if (value < min || value > max) {
            throw new IllegalArgumentException("--" + name + " must be between " + min + " and " + max);
        }
        return value;
    }
}
