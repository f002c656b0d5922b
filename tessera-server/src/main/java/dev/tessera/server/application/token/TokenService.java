package dev.tessera.server.application.token;

import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.clientauth.ClientAuthenticator;
import dev.tessera.server.application.clientauth.PresentedCredentials;
import dev.tessera.server.application.port.AuditLog;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.TokenTypes;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The /token pipeline. It owns every phase the grants share (ARCHITECTURE §2.4), in this order:
 * grant_type, lookup, duplicates, client authentication, client may use the grant, a DPoP proof the
 * grant cannot honour, parameter narrowing, scope syntax; then the grant exchanges.
 */
public final class TokenService {
    private static final Set<String> CLIENT_AUTH_PARAMETERS = Set.of("client_id", "client_secret",
            "client_assertion_type", "client_assertion");

    private final Grants grants;
    private final ClientAuthenticator authenticator;
    private final Metrics metrics;
    private final AuditLog audit;

    public TokenService(Grants grants, ClientAuthenticator authenticator, Metrics metrics, AuditLog audit) {
        this.grants = grants;
        this.authenticator = authenticator;
        this.metrics = metrics;
        this.audit = audit;
    }

    public TokenResponse handle(Map<String, List<String>> form, PresentedCredentials credentials) {
        return handle(form, credentials, false);
    }

    /** @param dpopProofPresented whether the request carried a {@code DPoP} header (RFC 9449) */
    public TokenResponse handle(Map<String, List<String>> form, PresentedCredentials credentials,
                                boolean dpopProofPresented) {
        long started = System.nanoTime();
        String grantType = "unknown";
        String outcome = "server_error";
        try {
            List<String> types = form.getOrDefault("grant_type", List.of());
            if (types.isEmpty() || types.get(0).isEmpty()) {
                throw OAuthException.invalidRequest("the grant_type parameter is required");
            }
            if (types.size() > 1) {
                throw OAuthException.invalidRequest("the grant_type parameter was sent more than once");
            }
            Grant grant = grants.find(types.get(0)).orElseThrow(() -> new OAuthException(
                    OAuthError.UNSUPPORTED_GRANT_TYPE, "this server does not support that grant_type"));
            grantType = grant.grantType();
            rejectRepeats(form, grant);
            AuthenticatedClient client = authenticator.authenticate(credentials);
            // RFC 6749 §5.2: unauthorized_client when the client may not use this grant type.
            if (!client.client().allowsGrant(grantType)) {
                throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT,
                        "this client is not registered for the " + grantType + " grant");
            }
            if (client.client().publicClient() && !grant.allowsPublicClients()) {
                throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT,
                        "public clients may not use the " + grantType + " grant");
            }
            if (dpopProofPresented && grant.refusesDPoP()) {
                throw OAuthException.invalidRequest("DPoP is not supported; send the request without a DPoP proof");
            }
            Set<String> kept = new HashSet<>(grant.parameters());
            kept.addAll(CLIENT_AUTH_PARAMETERS);
            TokenParameters parameters = new TokenParameters(form).narrowedTo(kept);
            Scopes.parse(parameters.single("scope")); // RFC 6749 §3.3 syntax, invalid_scope
            TokenResponse response = grant.exchange(parameters, client);
            countTokens(grantType, response);
            audit.record("token_issued", Map.of("grant_type", grantType, "client_id", client.id()));
            outcome = "issued";
            return response;
        } catch (OAuthException e) {
            metrics.tokenError(grantType, e.error().code());
            outcome = "error";
            throw e;
        } finally {
            metrics.tokenRequest(grantType, outcome, System.nanoTime() - started);
        }
    }

    // Each token in the response by its type; a token exchange for an ID-JAG carries it in access_token (RFC 8693).
    private void countTokens(String grantType, TokenResponse response) {
        Map<String, Object> members = response.members();
        if (members.containsKey("access_token")) {
            metrics.tokenIssued(grantType, TokenTypes.ID_JAG.equals(members.get("issued_token_type")) ? "id-jag" : "access_token");
        }
        if (members.containsKey("id_token")) {
            metrics.tokenIssued(grantType, "id_token");
        }
        if (members.containsKey("refresh_token")) {
            metrics.tokenIssued(grantType, "refresh_token");
        }
    }

    private static void rejectRepeats(Map<String, List<String>> form, Grant grant) {
        for (Map.Entry<String, List<String>> field : form.entrySet()) {
            if (field.getValue().size() > 1 && !grant.repeatableParameters().contains(field.getKey())) {
                throw OAuthException.repeatedParameter(field.getKey());
            }
        }
    }

}
