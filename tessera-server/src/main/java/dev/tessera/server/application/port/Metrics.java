package dev.tessera.server.application.port;

/** Counters the use cases report (SPEC §10); the adapter exposes them in Prometheus text format. */
public interface Metrics {
    void tokenIssued(String grantType);

    void tokenError(String grantType, String errorCode);

    void login(String result);

    /** One HTTP request: the route pattern (not the raw path, so cardinality stays bounded), status, duration. */
    void request(String method, String route, int status, long durationNanos);

    Metrics NONE = new Metrics() {
        @Override
        public void tokenIssued(String grantType) {
        }

        @Override
        public void tokenError(String grantType, String errorCode) {
        }

        @Override
        public void login(String result) {
        }

        @Override
        public void request(String method, String route, int status, long durationNanos) {
        }
    };
}
