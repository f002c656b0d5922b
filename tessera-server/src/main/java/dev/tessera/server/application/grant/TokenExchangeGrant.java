package dev.tessera.server.application.grant;

import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.issue.AccessTokenFactory;
import dev.tessera.server.application.issue.IdJagFactory;
import dev.tessera.server.application.issue.IdJagFactory.IssuedIdJag;
import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.issue.SubjectResolver;
import dev.tessera.server.application.port.ClientStore;
import dev.tessera.server.application.token.Grant;
import dev.tessera.server.application.token.TokenParameters;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.token.TokenTypes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 8693 token exchange for confidential clients, issuing what {@code tokenExchange.tokenTypes} lists: a new
 * access token for another audience of ours, or an ID-JAG for another company's authorization server under the
 * client's idJag policy. The subject token is never consumed, and no refresh token is ever returned.
 */
public final class TokenExchangeGrant implements Grant {
    private static final Set<String> UNSUPPORTED = Set.of("actor_token", "actor_token_type");

    private final Set<String> issuableTypes;
    private final SubjectTokenVerifier subjectTokens;
    private final IdJagPolicyCheck idJagPolicy;
    private final IdJagFactory idJags;
    private final AccessTokenFactory accessTokens;
    private final ClientStore clients;
    private final SubjectResolver subjects;
    private final CrossAppDecisionLog decisions;

    public TokenExchangeGrant(Set<String> issuableTypes, SubjectTokenVerifier subjectTokens, IdJagPolicyCheck idJagPolicy,
                       IdJagFactory idJags, AccessTokenFactory accessTokens, ClientStore clients,
                       SubjectResolver subjects, CrossAppDecisionLog decisions) {
        this.issuableTypes = Set.copyOf(issuableTypes);
        this.subjectTokens = subjectTokens;
        this.idJagPolicy = idJagPolicy;
        this.idJags = idJags;
        this.accessTokens = accessTokens;
        this.clients = clients;
        this.subjects = subjects;
        this.decisions = decisions;
    }

    @Override
    public String grantType() {
        return GrantTypes.TOKEN_EXCHANGE;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("subject_token", "subject_token_type", "requested_token_type", "audience", "resource", "scope",
                "actor_token", "actor_token_type", "authorization_details");
    }

    @Override
    public Set<String> repeatableParameters() {
        return Set.of("resource", "audience"); // RFC 8693 §2.1; the ID-JAG branch then requires one audience
    }

    @Override
    public boolean refusesDPoP() {
        return true;
    }

    @Override
    public Map<String, Object> metadata() {
        // draft-ietf-oauth-identity-chaining: what a client may request for use in another trust domain.
        return issuableTypes.contains(TokenTypes.ID_JAG)
                ? Map.of("identity_chaining_requested_token_types_supported", List.of(TokenTypes.ID_JAG))
                : Map.of();
    }

    @Override
    public TokenResponse exchange(TokenParameters parameters, AuthenticatedClient authenticated) {
        CrossAppDecision decision = new CrossAppDecision(CrossAppDecision.TOKEN_EXCHANGE, authenticated.id());
        return decisions.decide(decision, () -> exchange(parameters, authenticated.client(), decision));
    }

    private TokenResponse exchange(TokenParameters parameters, Client client, CrossAppDecision decision) {
        for (String name : UNSUPPORTED) {
            if (parameters.single(name) != null) {
                throw OAuthException.invalidRequest("actor_token is not supported: this server does not issue"
                        + " delegation (act) tokens");
            }
        }
        if (parameters.single("authorization_details") != null) {
            throw OAuthException.invalidRequest("authorization_details is not supported at the token exchange");
        }
        String requestedType = requestedType(parameters);
        String subjectToken = parameters.required("subject_token");
        String subjectType = parameters.required("subject_token_type");
        decision.audience = String.join(" ", parameters.all("audience"));
        decision.resources = parameters.all("resource");
        decision.requestedScope = parameters.single("scope");
        Scopes requested = Scopes.parse(parameters.single("scope"));
        return TokenTypes.ID_JAG.equals(requestedType)
                ? idJag(parameters, client, subjectType, subjectToken, requested, decision)
                : accessToken(parameters, client, subjectType, subjectToken, requested, decision);
    }

    // RFC 8693 §2.1: requested_token_type is optional; without it the client gets an access token if offered.
    private String requestedType(TokenParameters parameters) {
        String requested = parameters.single("requested_token_type");
        if (requested == null) {
            if (issuableTypes.contains(TokenTypes.ACCESS_TOKEN)) {
                return TokenTypes.ACCESS_TOKEN;
            }
            throw OAuthException.invalidRequest("the requested_token_type parameter is required; this server issues "
                    + String.join(" and ", issuableTypes));
        }
        if (!issuableTypes.contains(requested)) {
            throw OAuthException.invalidRequest("this requested_token_type is not offered; this server issues "
                    + String.join(" and ", issuableTypes));
        }
        return requested;
    }

    private TokenResponse idJag(TokenParameters parameters, Client client, String subjectType, String subjectToken,
                                Scopes requested, CrossAppDecision decision) {
        if (TokenTypes.ACCESS_TOKEN.equals(subjectType)) {
            throw OAuthException.invalidRequest("an ID-JAG needs an id_token or refresh_token subject_token_type:"
                    + " it asserts who signed in, which an access token does not prove");
        }
        IdJagPolicyCheck.Allowed allowed = idJagPolicy.check(client, parameters.all("audience"),
                parameters.all("resource"), requested);
        Subject subject = subjectTokens.verify(subjectType, subjectToken, client, true);
        IssuedIdJag idJag = idJags.create(allowed.policy(), subject.user(), subjectAtAudience(allowed, subject),
                allowed.scopes(), allowed.resources(), subject.authentication());
        decision.subject = idJag.subject();
        decision.jti = idJag.jti();
        decision.grantedScope = allowed.scopes().asString();
        if (allowed.scopesDropped()) {
            decisions.scopeModified(decision);
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("access_token", idJag.value());
        members.put("issued_token_type", TokenTypes.ID_JAG);
        members.put("token_type", "N_A"); // RFC 8693 §2.2.1: not an access token
        members.put("expires_in", idJag.expiresIn());
        if (allowed.scopesDropped()) {
            members.put("scope", allowed.scopes().asString()); // RFC 8693 §2.2.1: when it differs from the request
        }
        return new TokenResponse(members);
    }

    // SPEC §6: the sub the policy's SSO client sees in its own ID tokens (pairwise if it is), so the other
    // server's existing account mapping for that SSO client finds the same person.
    private String subjectAtAudience(IdJagPolicyCheck.Allowed allowed, Subject subject) {
        String ssoClientId = allowed.policy().ssoClient();
        if (ssoClientId == null) {
            return subject.user().id();
        }
        Client ssoClient = clients.find(ssoClientId).orElseThrow(() -> new OAuthException(OAuthError.SERVER_ERROR,
                "the ID-JAG policy for this audience names an SSO client that does not exist; ask the operator",
                "idJag ssoClient " + ssoClientId + " is missing from the store"));
        return subjects.subjectFor(ssoClient, subject.user().id());
    }

    private TokenResponse accessToken(TokenParameters parameters, Client client, String subjectType,
                                      String subjectToken, Scopes requested, CrossAppDecision decision) {
        List<String> audience = audienceOfAccessToken(client, parameters);
        Subject subject = subjectTokens.verify(subjectType, subjectToken, client, false);
        // No refresh token is returned, so offline_access would mean nothing here.
        Scopes allowed = subjectTokens.allowedScopes(subject, client).intersect(client.scopes()).without(Scopes.of(Scopes.OFFLINE_ACCESS));
        if (!allowed.containsAll(requested)) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "scope not allowed for this subject_token and client: "
                    + requested.without(allowed).asString());
        }
        Scopes granted = requested.isEmpty() ? allowed : requested;
        AccessTokenFactory.IssuedToken token = accessTokens.create(client, subject.user().id(), granted,
                audience.isEmpty() ? client.defaultAudience() : audience, subject.authentication(),
                subject.user().roles(), subject.grantId());
        decision.subject = subject.user().id();
        decision.jti = token.jti();
        decision.grantedScope = granted.asString();
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("access_token", token.value());
        members.put("issued_token_type", TokenTypes.ACCESS_TOKEN);
        members.put("token_type", "Bearer");
        members.put("expires_in", token.expiresIn());
        members.put("scope", granted.asString());
        return new TokenResponse(members);
    }

    // RFC 8693 §2.1: audience and resource both name where the token will be used; each must be one this
    // client may target (its configured audience, SPEC §5).
    private static List<String> audienceOfAccessToken(Client client, TokenParameters parameters) {
        LinkedHashSet<String> targets = new LinkedHashSet<>(ResourceIndicators.narrow(client, parameters.all("resource"), null));
        for (String audience : parameters.all("audience")) {
            if (!client.audience().contains(audience)) {
                throw new OAuthException(OAuthError.INVALID_TARGET, "this client may not request tokens for that audience");
            }
            targets.add(audience);
        }
        return new ArrayList<>(targets);
    }
}
