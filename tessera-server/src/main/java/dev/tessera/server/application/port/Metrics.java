package dev.tessera.server.application.port;

/**
 * Counters and latencies the use cases and the HTTP layer report (SPEC §10); the adapter exposes them in the
 * Prometheus text format. Every label value comes from a small set our code names (grant types, token types, error
 * codes, results, route patterns), never from a request, so the number of series stays bounded.
 */
public interface Metrics {
    /** One token of {@code tokenType} (access_token, id_token, refresh_token, id-jag) issued by {@code grantType}. */
    void tokenIssued(String grantType, String tokenType);

    void tokenError(String grantType, String errorCode);

    /** One /token request decided: {@code outcome} is issued, error or server_error; the time to decide and mint. */
    void tokenRequest(String grantType, String outcome, long durationNanos);

    /** A sign-in step's result: success, bad_password, unknown_user, disabled_user, throttled, busy, otp_*. */
    void login(String result);

    /** A failed client authentication at /token, /introspect or /revoke, by reason (never by client id). */
    void clientAuthenticationFailure(String reason);

    /** A token-exchange or jwt-bearer decision: {@code result} is "issued" or the OAuth error code. */
    void crossAppDecision(String grant, String result);

    /** An ID-JAG request refused by the client's idJag policy, by reason (no_policy, audience, resource, scope). */
    void idJagPolicyRejection(String reason);

    /** A cross-app grant that issued fewer scopes than were asked for or carried. */
    void scopeModified(String grant);

    /** A retired refresh token presented again, so its family was revoked; {@code via} is the grant it came to. */
    void refreshReuseDetected(String via);

    /** One HTTP request: the route pattern (not the raw path, so cardinality stays bounded), status, duration. */
    void request(String method, String route, int status, long durationNanos);

    /** An OAuth error code answered at {@code route} (JSON body, Bearer challenge or error redirect). */
    void oauthError(String route, String errorCode);

    Metrics NONE = new Metrics() {
        @Override
        public void tokenIssued(String grantType, String tokenType) {
        }

        @Override
        public void tokenError(String grantType, String errorCode) {
        }

        @Override
        public void tokenRequest(String grantType, String outcome, long durationNanos) {
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
        public void refreshReuseDetected(String via) {
        }

        @Override
        public void request(String method, String route, int status, long durationNanos) {
        }

        @Override
        public void oauthError(String route, String errorCode) {
        }
    };
}
