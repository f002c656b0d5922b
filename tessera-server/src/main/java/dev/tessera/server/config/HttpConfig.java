package dev.tessera.server.config;

/** Where the HTTP listener binds. Port 0 picks a free port (tests). */
public record HttpConfig(String host, int port) {
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_HOST, DEFAULT_PORT);
    }
}
