package dev.tessera.server.application.grant;

import java.util.List;

/**
 * What one token-exchange or jwt-bearer request has established so far, filled in as its checks pass, so a
 * refusal is logged with everything known up to the failed check. Ids, names and scopes only: never a token
 * or an assertion. One instance per request; not shared between threads.
 */
final class CrossAppDecision {
    static final String TOKEN_EXCHANGE = "token_exchange";
    static final String JWT_BEARER = "jwt_bearer";

    final String grant;
    final String clientId;
    String issuer;
    String audience;
    List<String> resources = List.of();
    String requestedScope;
    String grantedScope;
    String subject;
    String jti;

    CrossAppDecision(String grant, String clientId) {
        this.grant = grant;
        this.clientId = clientId;
    }
}
