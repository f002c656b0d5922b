package dev.tessera.server.application.port;

/** Counters the use cases report (SPEC §10); the adapter exposes them in Prometheus text format. */
public interface Metrics {
    void tokenIssued(String grantType);

    void tokenError(String grantType, String errorCode);

    void login(String result);

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
    };
}
