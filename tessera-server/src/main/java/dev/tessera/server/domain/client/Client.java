package dev.tessera.server.domain.client;

import dev.tessera.server.domain.scope.Scopes;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A registered OAuth client. The secret is held only as a salted hash ({@code secretHash}); a
 * public client has none and must use PKCE.
 *
 * @param accessTokenTtl null means the server default ({@code tokens.accessTokenTtl})
 * @param idTokenTtl null means the server default
 * @param accessTokenFormat null means the server default
 * @param idTokenEncryption null means ID tokens are signed only
 * @param accessTokenSigningAlg the JWS algorithm of this client's JWT access tokens (RS256, ES256 or PS256)
 * @param userinfoSignedResponseAlg null means /userinfo answers plain JSON; else a JWT signed with this alg
 * @param userinfoEncryption null means a signed userinfo answer is not encrypted
 * @param jwksUri   where a private_key_jwt client publishes its public keys; null when it has them inline or none
 * @param jwks      a private_key_jwt client's public keys inline, as JWK Set JSON (RFC 7517 §5); null when none
 * @param requirePkce false lets a confidential client skip PKCE (some certified RPs send none); public
 *                    clients always need it
 */
public record Client(
        String id,
        String name,
        String secretHash,
        boolean publicClient,
        RedirectUris redirectUris,
        List<String> postLogoutRedirectUris,
        Set<String> grantTypes,
        Scopes scopes,
        TokenEndpointAuthMethod authMethod,
        String jwksUri,
        String jwks,
        List<String> audience,
        Set<String> claims,
        ConsentPolicy consent,
        Duration accessTokenTtl,
        Duration idTokenTtl,
        SubjectType subjectType,
        String idTokenSigningAlg,
        String accessTokenSigningAlg,
        ResponseEncryption idTokenEncryption,
        String userinfoSignedResponseAlg,
        ResponseEncryption userinfoEncryption,
        boolean introspect,
        List<IdJagPolicy> idJag,
        AccessTokenFormat accessTokenFormat,
        String sectorIdentifier,
        boolean requirePkce,
        boolean enabled) {

    public Client {
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        grantTypes = Set.copyOf(grantTypes);
        audience = List.copyOf(audience);
        claims = Set.copyOf(claims);
        idJag = List.copyOf(idJag);
    }

    /** RFC 7636 is mandatory for public clients whatever the registration says. */
    public boolean pkceRequired() {
        return publicClient || requirePkce;
    }

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    /** The aud of access tokens when no resource indicator narrows it (SPEC §5). */
    public List<String> defaultAudience() {
        return audience.isEmpty() ? List.of(id) : audience;
    }

    public Optional<IdJagPolicy> idJagFor(String targetAudience) {
        return idJag.stream().filter(p -> p.audience().equals(targetAudience)).findFirst();
    }

    public Builder toBuilder() {
        return new Builder(id).name(name).secretHash(secretHash).publicClient(publicClient)
                .redirectUris(redirectUris.registered()).postLogoutRedirectUris(postLogoutRedirectUris)
                .grantTypes(grantTypes).scopes(scopes).authMethod(authMethod).jwksUri(jwksUri).jwks(jwks).audience(audience).claims(claims)
                .consent(consent).accessTokenTtl(accessTokenTtl).idTokenTtl(idTokenTtl).subjectType(subjectType)
                .idTokenSigningAlg(idTokenSigningAlg).accessTokenSigningAlg(accessTokenSigningAlg)
                .idTokenEncryption(idTokenEncryption)
                .userinfoSignedResponseAlg(userinfoSignedResponseAlg).userinfoEncryption(userinfoEncryption)
                .introspect(introspect)
                .idJag(idJag).accessTokenFormat(accessTokenFormat).sectorIdentifier(sectorIdentifier)
                .requirePkce(requirePkce).enabled(enabled);
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** Defaults follow SPEC §2: confidential, client_secret_basic, code + refresh, consent required. */
    public static final class Builder {
        private final String id;
        private String name;
        private String secretHash;
        private boolean publicClient;
        private List<String> redirectUris = List.of();
        private List<String> postLogoutRedirectUris = List.of();
        private Set<String> grantTypes = Set.of(GrantTypes.AUTHORIZATION_CODE, GrantTypes.REFRESH_TOKEN);
        private Scopes scopes = Scopes.of("openid", "profile", "email", "offline_access");
        private TokenEndpointAuthMethod authMethod = TokenEndpointAuthMethod.CLIENT_SECRET_BASIC;
        private String jwksUri;
        private String jwks;
        private List<String> audience = List.of();
        private Set<String> claims = Set.of();
        private ConsentPolicy consent = ConsentPolicy.REQUIRED;
        private Duration accessTokenTtl;
        private Duration idTokenTtl;
        private SubjectType subjectType = SubjectType.PUBLIC;
        private String idTokenSigningAlg = "RS256";
        private String accessTokenSigningAlg = "RS256";
        private ResponseEncryption idTokenEncryption;
        private String userinfoSignedResponseAlg;
        private ResponseEncryption userinfoEncryption;
        private boolean introspect;
        private List<IdJagPolicy> idJag = List.of();
        private AccessTokenFormat accessTokenFormat;
        private String sectorIdentifier;
        private boolean requirePkce = true;
        private boolean enabled = true;

        private Builder(String id) {
            this.id = id;
            this.name = id;
        }

        public Builder name(String v) { this.name = v; return this; }
        public Builder secretHash(String v) { this.secretHash = v; return this; }
        public Builder publicClient(boolean v) { this.publicClient = v; return this; }
        public Builder redirectUris(List<String> v) { this.redirectUris = v; return this; }
        public Builder postLogoutRedirectUris(List<String> v) { this.postLogoutRedirectUris = v; return this; }
        public Builder grantTypes(Set<String> v) { this.grantTypes = v; return this; }
        public Builder scopes(Scopes v) { this.scopes = v; return this; }
        public Builder authMethod(TokenEndpointAuthMethod v) { this.authMethod = v; return this; }
        public Builder jwksUri(String v) { this.jwksUri = v; return this; }
        public Builder jwks(String v) { this.jwks = v; return this; }
        public Builder audience(List<String> v) { this.audience = v; return this; }
        public Builder claims(Set<String> v) { this.claims = v; return this; }
        public Builder consent(ConsentPolicy v) { this.consent = v; return this; }
        public Builder accessTokenTtl(Duration v) { this.accessTokenTtl = v; return this; }
        public Builder idTokenTtl(Duration v) { this.idTokenTtl = v; return this; }
        public Builder subjectType(SubjectType v) { this.subjectType = v; return this; }
        public Builder idTokenSigningAlg(String v) { this.idTokenSigningAlg = v; return this; }
        public Builder accessTokenSigningAlg(String v) { this.accessTokenSigningAlg = v; return this; }
        public Builder idTokenEncryption(ResponseEncryption v) { this.idTokenEncryption = v; return this; }
        public Builder userinfoSignedResponseAlg(String v) { this.userinfoSignedResponseAlg = v; return this; }
        public Builder userinfoEncryption(ResponseEncryption v) { this.userinfoEncryption = v; return this; }
        public Builder introspect(boolean v) { this.introspect = v; return this; }
        public Builder idJag(List<IdJagPolicy> v) { this.idJag = v; return this; }
        public Builder accessTokenFormat(AccessTokenFormat v) { this.accessTokenFormat = v; return this; }
        public Builder sectorIdentifier(String v) { this.sectorIdentifier = v; return this; }
        public Builder requirePkce(boolean v) { this.requirePkce = v; return this; }
        public Builder enabled(boolean v) { this.enabled = v; return this; }

        public Client build() {
            return new Client(id, name, secretHash, publicClient, new RedirectUris(redirectUris),
                    postLogoutRedirectUris, grantTypes, scopes, authMethod, jwksUri, jwks, audience, claims, consent, accessTokenTtl,
                    idTokenTtl, subjectType, idTokenSigningAlg, accessTokenSigningAlg, idTokenEncryption,
                    userinfoSignedResponseAlg,
                    userinfoEncryption, introspect, idJag,
                    accessTokenFormat, sectorIdentifier, requirePkce, enabled);
        }
    }
}
