package dev.tessera.server.config;

/**
 * Where {@code /metrics} is served (SPEC §2, §10). Port 0 (the default) serves it on the main listener;
 * any other port serves it only on a listener of its own, so it need not be reachable from the internet.
 *
 * @param host the separate listener's address; empty means {@value #DEFAULT_HOST} (loopback)
 * @param port the separate listener's port; 0 means none
 */
public record MetricsConfig(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public MetricsConfig {
        host = host == null ? "" : host;
    }

    public static MetricsConfig defaults() {
        return new MetricsConfig("", 0);
    }

    public boolean separateListener() {
        return port != 0;
    }

    public String listenHost() {
        return host.isEmpty() ? DEFAULT_HOST : host;
    }
}
