package dev.tessera.server.application.issue;

import dev.tessera.server.application.port.ConsentStore;
import dev.tessera.server.domain.claims.ClaimConsents;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.claims.StandardClaims;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Decides which user claims an ID token or userinfo response carries, shared by both so they never disagree
 * (SPEC §5: claim release follows consent). A scope's claims (OIDC Core §5.4) go out when the scope was
 * granted; a standard claim asked for one by one through the claims parameter, and each claim inside
 * {@code verified_claims}, only when the user allowed it (or the client is {@code consent: skip}); a custom
 * claim only when the client's {@code claims} list names it. A non-empty {@code claims} list on the client
 * caps everything released.
 *
 * <p>The consent is read again at every release, so a claim goes out only while the user's "yes" stands,
 * whatever path the grant took.
 */
public final class ClaimsAssembler {
    public static final Set<String> STANDARD_CLAIMS = StandardClaims.ALL;

    private final ConsentStore consents;
    private final VerifiedClaimsSelector verifiedClaims;

    public ClaimsAssembler(ConsentStore consents, VerifiedClaimsSelector verifiedClaims) {
        this.consents = consents;
        this.verifiedClaims = verifiedClaims;
    }

    public Map<String, Object> claimsFor(User user, Client client, Scopes scopes, ClaimsRequest request,
                                         ClaimsRequest.Target target) {
        ConsentedClaims consented = consented(user, client, request);
        Set<String> wanted = new LinkedHashSet<>(StandardClaims.ofScopes(scopes.values()));
        for (String name : request.claims(target).keySet()) {
            if (StandardClaims.ALL.contains(name) && consented.allows(name)) {
                wanted.add(name);
            }
        }
        for (String name : client.claims()) {
            if (!StandardClaims.ALL.contains(name) && !ClaimsRequest.VERIFIED_CLAIMS.equals(name)) {
                wanted.add(name); // custom claims the operator chose to release to this client
            }
        }
        Map<String, Object> released = new LinkedHashMap<>();
        for (String name : wanted) {
            Object value = user.claims().get(name);
            if (value != null && ClaimConsents.allows(client.claims(), name)) {
                released.put(name, value);
            }
        }
        if (!request.verifiedClaims(target).isEmpty() && user.hasVerifiedClaims()
                && ClaimConsents.allows(client.claims(), ClaimsRequest.VERIFIED_CLAIMS)) {
            verifiedClaims.select(user.verifiedClaims(), request.verifiedClaims(target),
                            claim -> consented.allows(ClaimConsents.verifiedKey(claim)))
                    .ifPresent(selected -> released.put(ClaimsRequest.VERIFIED_CLAIMS, selected));
        }
        return released;
    }

    // Only a request for user claims beyond the scopes needs the stored consent; others (none, or only
    // auth_time and acr, as certification suites send) skip the read.
    private ConsentedClaims consented(User user, Client client, ClaimsRequest request) {
        boolean asksForUserClaims = !request.verifiedClaims().isEmpty()
                || request.names().stream().anyMatch(StandardClaims.ALL::contains);
        if (!asksForUserClaims) {
            return ConsentedClaims.NONE;
        }
        if (client.consent() == ConsentPolicy.SKIP) {
            return ConsentedClaims.ALL;
        }
        return consents.find(user.id(), client.id())
                .map(consent -> ConsentedClaims.of(consent.claims()))
                .orElse(ConsentedClaims.NONE);
    }
}
