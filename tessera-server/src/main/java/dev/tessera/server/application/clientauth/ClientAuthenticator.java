package dev.tessera.server.application.clientauth;

import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.application.port.RateLimitStore;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticates a client at the token, introspection and revocation endpoints with the one method it
 * registered: a secret (Basic or body), a private_key_jwt assertion ({@link ClientAssertionVerifier}) or none for
 * a public client. Every failure is {@code invalid_client} with the same description for an unknown client,
 * a wrong secret (or signature) and a throttled client, so the endpoint does not confirm which client ids exist;
 * the reason goes to the audit log and to the metrics instead.
 */
public final class ClientAuthenticator {
    private static final String FAILED = "client authentication failed";

    private final ClientStore clients;
    private final ClientAssertionVerifier assertions;
    private final ClientAuthThrottle throttle;
    private final AuditLog audit;
    private final Metrics metrics;

    public ClientAuthenticator(ClientStore clients, ClientAssertionVerifier assertions, RateLimitStore rateLimits,
                               AuditLog audit, Metrics metrics, Clock clock) {
        this.clients = clients;
        this.assertions = assertions;
        this.throttle = new ClientAuthThrottle(rateLimits, clock);
        this.audit = audit;
        this.metrics = metrics;
    }

    public AuthenticatedClient authenticate(PresentedCredentials presented) {
        if (presented.usedAssertion()) {
            return authenticateWithAssertion(presented);
        }
        if (presented.usedBasic() && presented.formClientSecret() != null) {
            // RFC 6749 §2.3: a client must not use more than one authentication method per request.
            throw OAuthException.invalidRequest("client credentials were sent both in the Authorization header and in the body; use one");
        }
        if (presented.usedBasic() && presented.formClientId() != null
                && !presented.formClientId().equals(presented.basicId())) {
            throw OAuthException.invalidRequest("client_id in the body does not match the Authorization header");
        }
        String clientId = presented.usedBasic() ? presented.basicId() : presented.formClientId();
        if (clientId == null || clientId.isEmpty()) {
            throw failure(null, "missing", new OAuthException(OAuthError.INVALID_CLIENT,
                    "client authentication is required: send client_id (and client_secret) or HTTP Basic credentials"));
        }
        Optional<Client> found = clients.find(clientId).filter(Client::enabled);
        if (found.isEmpty()) {
            // Burn the same work as a secret check so unknown ids are not faster.
            ClientSecrets.verify(secretOf(presented), "sha256$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            throw failure(clientId, "unknown_client", new OAuthException(OAuthError.INVALID_CLIENT, FAILED));
        }
        Client client = found.get();
        TokenEndpointAuthMethod used = methodUsed(presented);
        if (client.publicClient()) {
            if (used != TokenEndpointAuthMethod.NONE) {
                throw failure(clientId, "wrong_method", new OAuthException(OAuthError.INVALID_CLIENT,
                        "this is a public client: send only client_id, without a secret"));
            }
            return new AuthenticatedClient(client, TokenEndpointAuthMethod.NONE);
        }
        if (used == TokenEndpointAuthMethod.NONE) {
            throw failure(clientId, "wrong_method", new OAuthException(OAuthError.INVALID_CLIENT,
                    "this client must authenticate with " + client.authMethod().value()));
        }
        if (used != client.authMethod()) {
            throw failure(clientId, "wrong_method", new OAuthException(OAuthError.INVALID_CLIENT,
                    "this client is registered for " + client.authMethod().value() + ", not " + used.value()));
        }
        // The same answer as a wrong secret, so the throttle does not tell which client ids exist.
        if (throttle.isThrottled(clientId)) {
            throw failure(clientId, "throttled", new OAuthException(OAuthError.INVALID_CLIENT, FAILED));
        }
        if (!ClientSecrets.verify(secretOf(presented), client.secretHash())) {
            throttle.recordFailure(clientId);
            throw failure(clientId, "wrong_secret", new OAuthException(OAuthError.INVALID_CLIENT, FAILED));
        }
        return new AuthenticatedClient(client, used);
    }

    private AuthenticatedClient authenticateWithAssertion(PresentedCredentials presented) {
        if (presented.usedBasic() || presented.formClientSecret() != null) {
            // RFC 6749 §2.3: one authentication method per request.
            throw OAuthException.invalidRequest("send either a client assertion or a client secret, not both");
        }
        ClientAssertionVerifier.Parsed parsed;
        try {
            parsed = assertions.parse(presented.clientAssertionType(), presented.clientAssertion());
        } catch (ClientAssertionVerifier.Rejected rejected) {
            throw failure(presented.formClientId(), rejected.reason(),
                    new OAuthException(OAuthError.INVALID_CLIENT, rejected.getMessage()));
        }
        String clientId = parsed.clientId();
        // RFC 7521 §4.2: a client_id sent beside the assertion must name the same client.
        if (presented.formClientId() != null && !presented.formClientId().equals(clientId)) {
            throw failure(presented.formClientId(), "client_id_mismatch", new OAuthException(OAuthError.INVALID_CLIENT,
                    "client_id does not match the sub of the client assertion"));
        }
        Optional<Client> found = clients.find(clientId).filter(Client::enabled);
        if (found.isEmpty()) {
            throw failure(clientId, "unknown_client",
                    new OAuthException(OAuthError.INVALID_CLIENT, ClientAssertionVerifier.SIGNATURE_FAILED));
        }
        Client client = found.get();
        if (client.authMethod() != TokenEndpointAuthMethod.PRIVATE_KEY_JWT || client.publicClient()) {
            throw failure(clientId, "wrong_method", new OAuthException(OAuthError.INVALID_CLIENT,
                    "this client is registered for " + registeredMethod(client) + ", not private_key_jwt"));
        }
        if (throttle.isThrottled(clientId)) {
            throw failure(clientId, "throttled", new OAuthException(OAuthError.INVALID_CLIENT, FAILED));
        }
        try {
            assertions.verify(parsed, client);
        } catch (ClientAssertionVerifier.Rejected rejected) {
            if (rejected.countsAgainstClient()) {
                throttle.recordFailure(clientId);
            }
            throw failure(clientId, rejected.reason(), new OAuthException(OAuthError.INVALID_CLIENT, rejected.getMessage()));
        }
        return new AuthenticatedClient(client, TokenEndpointAuthMethod.PRIVATE_KEY_JWT);
    }

    private static String registeredMethod(Client client) {
        return client.publicClient() ? TokenEndpointAuthMethod.NONE.value() : client.authMethod().value();
    }

    /** Logs (client id, reason; the request id comes with the log context) and counts a failure, never the secret. */
    private OAuthException failure(String clientId, String reason, OAuthException answer) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("client_id", clientId == null ? "" : printable(clientId));
        fields.put("reason", reason);
        audit.record("client_authentication_failed", fields);
        metrics.clientAuthenticationFailure(reason); // reason only: client ids from requests are unbounded
        return answer;
    }

    // Presented ids are attacker-chosen: no control characters (forged log lines) and no floods.
    private static String printable(String clientId) {
        String cleaned = clientId.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) + "..." : cleaned;
    }

    private static TokenEndpointAuthMethod methodUsed(PresentedCredentials presented) {
        if (presented.usedBasic()) {
            return TokenEndpointAuthMethod.CLIENT_SECRET_BASIC;
        }
        return presented.formClientSecret() != null
                ? TokenEndpointAuthMethod.CLIENT_SECRET_POST
                : TokenEndpointAuthMethod.NONE;
    }

    private static String secretOf(PresentedCredentials presented) {
        String secret = presented.usedBasic() ? presented.basicSecret() : presented.formClientSecret();
        return secret == null ? "" : secret;
    }
}
