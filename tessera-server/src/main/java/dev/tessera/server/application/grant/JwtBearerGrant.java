package dev.tessera.server.application.grant;

import dev.tessera.server.application.clientauth.AuthenticatedClient;
import dev.tessera.server.application.grant.AssertionVerifier.VerifiedAssertion;
import dev.tessera.server.application.issue.AccessTokenFactory;
import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.port.UsedJtiStore;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.application.token.Grant;
import dev.tessera.server.application.token.TokenParameters;
import dev.tessera.server.application.token.TokenResponse;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.GrantTypes;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.text.ParseException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 7523 §2.1 with an ID-JAG from a trusted issuer (SPEC §6): Tessera as the resource authorization server
 * turns the identity provider's assertion into its own access token for the linked local user. The assertion
 * only says who and what may be asked for; lifetime, audience and scopes are this server's own policy, and no
 * refresh token is issued, so access ends when the identity provider stops issuing assertions.
 */
public final class JwtBearerGrant implements Grant {
    private static final String ID_JAG_PROFILE = "urn:ietf:params:oauth:grant-profile:id-jag";

    private final AssertionVerifier assertions;
    private final UsedJtiStore usedJtis;
    private final UserStore users;
    private final AccessTokenFactory accessTokens;
    private final CrossAppDecisionLog decisions;

    public JwtBearerGrant(AssertionVerifier assertions, UsedJtiStore usedJtis, UserStore users,
                          AccessTokenFactory accessTokens, CrossAppDecisionLog decisions) {
        this.assertions = assertions;
        this.usedJtis = usedJtis;
        this.users = users;
        this.accessTokens = accessTokens;
        this.decisions = decisions;
    }

    @Override
    public String grantType() {
        return GrantTypes.JWT_BEARER;
    }

    @Override
    public Set<String> parameters() {
        return Set.of("assertion", "scope", "resource");
    }

    @Override
    public Set<String> repeatableParameters() {
        return Set.of("resource"); // RFC 8707 §2
    }

    @Override
    public boolean refusesDPoP() {
        return true;
    }

    @Override
    public Map<String, Object> metadata() {
        return Map.of("authorization_grant_profiles_supported", List.of(ID_JAG_PROFILE));
    }

    @Override
    public TokenResponse exchange(TokenParameters parameters, AuthenticatedClient authenticated) {
        CrossAppDecision decision = new CrossAppDecision(CrossAppDecision.JWT_BEARER, authenticated.id());
        return decisions.decide(decision, () -> exchange(parameters, authenticated.client(), decision));
    }

    private TokenResponse exchange(TokenParameters parameters, Client client, CrossAppDecision decision) {
        String assertion = parameters.required("assertion");
        decision.requestedScope = parameters.single("scope");
        VerifiedAssertion verified = assertions.verify(assertion, client.id());
        decision.issuer = verified.issuer().issuer();
        decision.subject = verified.claims().getSubject();
        decision.jti = verified.jti();
        User user = linkedUser(verified);

        List<String> resources = resources(client, verified, parameters.all("resource"));
        decision.resources = resources;
        Scopes asserted = Scopes.parse(stringClaim(verified, "scope"));
        Scopes granted = grantedScopes(client, asserted, Scopes.parse(parameters.single("scope")));
        decision.grantedScope = granted.asString();
        if (!granted.equals(asserted)) {
            decisions.scopeModified(decision);
        }

        // RFC 7523 §3 item 7, ID-JAG draft: single use across every instance, kept until it could no longer pass.
        if (!usedJtis.markUsed(verified.issuer().issuer(), verified.jti(),
                verified.expiresAt().plus(AssertionVerifier.CLOCK_SKEW))) {
            throw OAuthException.invalidGrant("this ID-JAG was already used; get a new ID-JAG from the identity provider");
        }
        AccessTokenFactory.IssuedToken token = accessTokens.create(client, user.id(), granted,
                resources.isEmpty() ? client.defaultAudience() : resources, authentication(verified), user.roles(), null);
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("access_token", token.value());
        members.put("token_type", "Bearer");
        members.put("expires_in", token.expiresIn());
        members.put("scope", granted.asString());
        if (!resources.isEmpty()) {
            // ID-JAG draft §4.4.1: tell the client which resources the token is limited to.
            members.put("resource", resources.size() == 1 ? resources.get(0) : resources);
        }
        return new TokenResponse(members);
    }

    private User linkedUser(VerifiedAssertion verified) {
        User user = users.findByLink(verified.issuer().issuer(), verified.claims().getSubject()).orElseThrow(() ->
                OAuthException.invalidGrant("no local account is linked to the assertion's subject at that issuer"));
        if (!user.enabled()) {
            throw OAuthException.invalidGrant("the linked account is no longer active");
        }
        return user;
    }

    // SPEC §6: the assertion's resources, each one this client may target, narrowed by the request's.
    private static List<String> resources(Client client, VerifiedAssertion verified, List<String> requested) {
        List<String> asserted = stringOrList(verified, "resource");
        for (String resource : asserted) {
            if (!client.audience().contains(resource)) {
                throw OAuthException.invalidGrant("the assertion names a resource this client may not target");
            }
        }
        if (requested.isEmpty()) {
            return asserted;
        }
        LinkedHashSet<String> narrowed = new LinkedHashSet<>();
        for (String resource : requested) {
            ResourceIndicators.requireAbsoluteWithoutFragment(resource);
            if (!asserted.contains(resource)) {
                throw new OAuthException(OAuthError.INVALID_TARGET, "that resource is not part of the assertion");
            }
            narrowed.add(resource);
        }
        return List.copyOf(narrowed);
    }

    // The other server's scopes mean nothing here unless this client has them; a request may only narrow.
    private static Scopes grantedScopes(Client client, Scopes asserted, Scopes requested) {
        Scopes available = asserted.intersect(client.scopes()).without(Scopes.of(Scopes.OFFLINE_ACCESS));
        Scopes granted = requested.isEmpty() ? available : available.intersect(requested);
        if (granted.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, requested.isEmpty()
                    ? "the assertion carries no scope this client may use"
                    : "no scope requested is both in the assertion and allowed for this client");
        }
        return granted;
    }

    private static AuthenticationEvent authentication(VerifiedAssertion verified) {
        Object authTime = verified.claims().getClaim("auth_time");
        if (!(authTime instanceof Number seconds)) {
            return null;
        }
        List<String> amr = stringOrList(verified, "amr");
        return new AuthenticationEvent(Instant.ofEpochSecond(seconds.longValue()), stringClaim(verified, "acr"), amr);
    }

    private static List<String> stringOrList(VerifiedAssertion verified, String name) {
        Object value = verified.claims().getClaim(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String single) {
            return List.of(single);
        }
        try {
            List<String> values = verified.claims().getStringListClaim(name);
            return values == null ? List.of() : List.copyOf(new LinkedHashSet<>(values));
        } catch (ParseException e) {
            throw OAuthException.invalidGrant("the assertion's " + name + " claim must be a string or an array of strings");
        }
    }

    private static String stringClaim(VerifiedAssertion verified, String name) {
        try {
            return verified.claims().getStringClaim(name);
        } catch (ParseException e) {
            throw OAuthException.invalidGrant("the assertion's " + name + " claim must be a string");
        }
    }
}
