package dev.tessera.server.application.port;

/** Counters the use cases report (SPEC §10); the adapter exposes them in Prometheus text format. */
public interface Metrics {
    void tokenIssued(String grantType);

    void tokenError(String grantType, String errorCode);

    void login(String result);

    /** A failed client authentication at /token, /introspect or /revoke, by reason (never by client id). */
    void clientAuthenticationFailure(String reason);

    /** A token-exchange or jwt-bearer decision: {@code result} is "issued" or the OAuth error code. */
    void crossAppDecision(String grant, String result);

    /** An ID-JAG request refused by the client's idJag policy, by reason (no_policy, audience, resource, scope). */
    void idJagPolicyRejection(String reason);

    /** A cross-app grant that issued fewer scopes than were asked for or carried. */
    void scopeModified(String grant);

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
        public void clientAuthenticationFailure(String reason) {
        }

        @Override
        public void crossAppDecision(String grant, String result) {
        }

        @Override
        public void idJagPolicyRejection(String reason) {
        }

        @Override
        public void scopeModified(String grant) {
        }

        @Override
        public void request(String method, String route, int status, long durationNanos) {
        }
    };
}
