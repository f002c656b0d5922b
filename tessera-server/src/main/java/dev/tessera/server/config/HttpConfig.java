package dev.tessera.server.config;

import java.time.Duration;
import java.util.List;

/**
 * Where the HTTP listener binds, and how it stops. Port 0 picks a free port (tests).
 *
 * @param trustedProxies addresses or CIDR ranges (IPv4 and IPv6) whose {@code Forwarded} /
 *                       {@code X-Forwarded-For} headers are believed; empty = the TCP peer is the client
 * @param shutdownGrace  after SIGTERM, how long the requests in flight may take to finish before they are cut off;
 *                       the supervisor's own stop timeout must be longer
 */
public record HttpConfig(String host, int port, List<String> trustedProxies, Duration shutdownGrace) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    /**
     * Longer than any request takes (an Argon2id sign-in is well under a second), and inside the 30 s Kubernetes
     * and the 90 s systemd give before they kill.
     */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(20);
    /** A stop that waits longer than this for one request is a hung deployment, not a drain. */
    public static final Duration MAX_SHUTDOWN_GRACE = Duration.ofMinutes(10);

    public HttpConfig {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
        shutdownGrace = shutdownGrace == null ? DEFAULT_SHUTDOWN_GRACE : shutdownGrace;
    }

    public HttpConfig(String host, int port, List<String> trustedProxies) {
        this(host, port, trustedProxies, DEFAULT_SHUTDOWN_GRACE);
    }

    public HttpConfig(String host, int port) {
        this(host, port, List.of());
    }

    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_HOST, DEFAULT_PORT);
    }

    public HttpConfig withTrustedProxies(List<String> value) {
        return new HttpConfig(host, port, value, shutdownGrace);
    }

    public HttpConfig withShutdownGrace(Duration value) {
        return new HttpConfig(host, port, trustedProxies, value);
    }
}
