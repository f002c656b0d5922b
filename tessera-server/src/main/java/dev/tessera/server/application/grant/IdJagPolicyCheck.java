package dev.tessera.server.application.grant;

import dev.tessera.server.application.issue.ResourceIndicators;
import dev.tessera.server.application.port.Metrics;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.IdJagPolicy;
import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;
import dev.tessera.server.domain.scope.Scopes;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * The client's idJag policy (SPEC §6), default deny: the caller reaches only the authorization servers, resources
 * and scopes the operator listed for it. Requested scopes belong to the other server, so those outside the entry
 * are dropped rather than refused; only a request of which nothing survives fails.
 */
public final class IdJagPolicyCheck {
    private final Metrics metrics;

    public IdJagPolicyCheck(Metrics metrics) {
        this.metrics = metrics;
    }

    /** What the policy lets this request assert. */
    record Allowed(IdJagPolicy policy, List<String> resources, Scopes scopes, boolean scopesDropped) {
    }

    Allowed check(Client client, List<String> audiences, List<String> resources, Scopes requested) {
        if (audiences.size() != 1) {
            throw OAuthException.invalidRequest("an ID-JAG needs exactly one audience: the issuer of the"
                    + " authorization server that will redeem it");
        }
        if (client.idJag().isEmpty()) {
            metrics.idJagPolicyRejection("no_policy");
            throw new OAuthException(OAuthError.UNAUTHORIZED_CLIENT, "this client may not request ID-JAGs");
        }
        IdJagPolicy policy = client.idJagFor(audiences.get(0)).orElseThrow(() -> {
            metrics.idJagPolicyRejection("audience");
            return new OAuthException(OAuthError.INVALID_TARGET, "there is no ID-JAG policy for this audience");
        });
        LinkedHashSet<String> allowedResources = new LinkedHashSet<>();
        for (String resource : resources) {
            ResourceIndicators.requireAbsoluteWithoutFragment(resource);
            if (!policy.resources().contains(resource)) {
                metrics.idJagPolicyRejection("resource");
                throw new OAuthException(OAuthError.INVALID_TARGET, "this resource is not allowed for this audience");
            }
            allowedResources.add(resource);
        }
        Scopes granted = requested.intersect(Scopes.of(policy.scopes()));
        if (!requested.isEmpty() && granted.isEmpty()) {
            metrics.idJagPolicyRejection("scope");
            throw new OAuthException(OAuthError.INVALID_SCOPE,
                    "none of the requested scopes is allowed for this client at this audience");
        }
        return new Allowed(policy, List.copyOf(allowedResources), granted, !granted.equals(requested));
    }
}
