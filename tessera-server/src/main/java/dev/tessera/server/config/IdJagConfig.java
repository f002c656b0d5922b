package dev.tessera.server.config;

import java.util.List;

/**
 * One resource authorization server a client may ask ID-JAGs for; absent entries deny (SPEC §6).
 *
 * @param audience  that authorization server's issuer
 * @param clientId  this client's id there; null means the same id as here
 * @param scopes    that server's scopes the client may ask for; empty allows none
 * @param resources {@code resource} values allowed with this audience
 * @param ssoClient our client whose subject the ID-JAG carries; null means the public subject
 * @param email     whether to add a verified email and email_verified
 */
public record IdJagConfig(String audience, String clientId, List<String> scopes, List<String> resources,
                          String ssoClient, boolean email) {
    public IdJagConfig {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        resources = resources == null ? List.of() : List.copyOf(resources);
    }
}
