package dev.tessera.server.config;

import java.util.List;

/**
 * Where the HTTP listener binds. Port 0 picks a free port (tests).
 *
 * @param trustedProxies addresses or CIDR ranges (IPv4 and IPv6) whose {@code Forwarded} /
 *                       {@code X-Forwarded-For} headers are believed; empty = the TCP peer is the client
 */
public record HttpConfig(String host, int port, List<String> trustedProxies) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public HttpConfig {
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    public HttpConfig(String host, int port) {
        this(host, port, List.of());
    }

    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_HOST, DEFAULT_PORT);
    }

    public HttpConfig withTrustedProxies(List<String> value) {
        return new HttpConfig(host, port, value);
    }
}
