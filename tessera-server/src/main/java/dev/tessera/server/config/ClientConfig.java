package dev.tessera.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A client declared in {@code tessera.yaml} or built by {@code tessera clients add}. Enumerated values stay
 * strings here, exactly as written, so that {@link ConfigValidator} can name a wrong one; {@link Choices}
 * parses them, for the validator and for the {@code parsed*} accessors alike.
 * Absent values take the SPEC §2 defaults in the constructor; the optional per-client overrides
 * ({@code accessTokenTtl}, {@code idTokenTtl}, {@code accessTokenFormat}, {@code idTokenEncryption},
 * {@code userinfoSignedResponseAlg}, {@code userinfoEncryption}) stay null, meaning "use the server default" /
 * "none".
 *
 * @param secret     clear-text secret (usually from the environment); hashed before it is stored
 * @param secretHash an already hashed secret, as the client secret hasher writes it
 * @param sectorIdentifierUri pairwise: an https URL whose JSON array lists every redirect URI; its host is the
 *                   sector (OIDC Core §8.1)
 * @param jwksUri    private_key_jwt: where the client publishes its public keys
 * @param jwks       private_key_jwt: the client's public keys inline, a JWK Set as read from the file (a mapping
 *                   with {@code keys}); {@link ClientKeyRules} checks its shape
 */
public record ClientConfig(
        String id,
        String name,
        String secret,
        String secretHash,
        boolean publicClient,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        List<String> grantTypes,
        List<String> scopes,
        String tokenEndpointAuthMethod,
        String jwksUri,
        Object jwks,
        List<String> audience,
        List<String> claims,
        String consent,
        Duration accessTokenTtl,
        Duration idTokenTtl,
        String subjectType,
        String sectorIdentifierUri,
        String idTokenSigningAlg,
        String accessTokenSigningAlg,
        ResponseEncryptionConfig idTokenEncryption,
        String userinfoSignedResponseAlg,
        ResponseEncryptionConfig userinfoEncryption,
        boolean introspect,
        List<IdJagConfig> idJag,
        String accessTokenFormat,
        boolean requirePkce) {

    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public static final List<String> DEFAULT_GRANT_TYPES = List.of(AUTHORIZATION_CODE, REFRESH_TOKEN);
    public static final List<String> DEFAULT_SCOPES = List.of("openid");
    public static final String AUTH_CLIENT_SECRET_BASIC = "client_secret_basic";
    public static final String AUTH_CLIENT_SECRET_POST = "client_secret_post";
    public static final String AUTH_PRIVATE_KEY_JWT = "private_key_jwt";
    public static final String AUTH_NONE = "none";
    public static final String CONSENT_REQUIRED = "required";
    public static final String CONSENT_SKIP = "skip";
    public static final String SUBJECT_PUBLIC = "public";
    public static final String SUBJECT_PAIRWISE = "pairwise";
    public static final String DEFAULT_ID_TOKEN_SIGNING_ALG = "RS256";
    public static final String DEFAULT_ACCESS_TOKEN_SIGNING_ALG = "RS256";

    public ClientConfig {
        name = name == null ? id : name;
        redirectUris = listOrEmpty(redirectUris);
        postLogoutRedirectUris = listOrEmpty(postLogoutRedirectUris);
        grantTypes = grantTypes == null ? DEFAULT_GRANT_TYPES : List.copyOf(grantTypes);
        scopes = scopes == null ? DEFAULT_SCOPES : List.copyOf(scopes);
        tokenEndpointAuthMethod = tokenEndpointAuthMethod != null ? tokenEndpointAuthMethod
                : publicClient ? AUTH_NONE : AUTH_CLIENT_SECRET_BASIC;
        audience = listOrEmpty(audience);
        claims = listOrEmpty(claims);
        consent = consent == null ? CONSENT_REQUIRED : consent;
        subjectType = subjectType == null ? SUBJECT_PUBLIC : subjectType;
        idTokenSigningAlg = idTokenSigningAlg == null ? DEFAULT_ID_TOKEN_SIGNING_ALG : idTokenSigningAlg;
        accessTokenSigningAlg = accessTokenSigningAlg == null ? DEFAULT_ACCESS_TOKEN_SIGNING_ALG : accessTokenSigningAlg;
        idJag = listOrEmpty(idJag);
    }

    private static <T> List<T> listOrEmpty(List<T> values) {
        return values == null ? List.of() : List.copyOf(values);
    }

    public boolean isPairwise() {
        return SUBJECT_PAIRWISE.equals(subjectType);
    }

    // The parsed enumerated values, for a validated config (ConfigToDomain); an unknown spelling throws.

    public Choices.AuthMethod parsedAuthMethod() {
        return Choices.require(Choices.AuthMethod.class, tokenEndpointAuthMethod, "tokenEndpointAuthMethod");
    }

    public Choices.Consent parsedConsent() {
        return Choices.require(Choices.Consent.class, consent, "consent");
    }

    public Choices.SubjectType parsedSubjectType() {
        return Choices.require(Choices.SubjectType.class, subjectType, "subjectType");
    }

    /** Empty: the server default ({@code tokens.accessTokenFormat}). */
    public Optional<Choices.TokenFormat> parsedAccessTokenFormat() {
        return accessTokenFormat == null ? Optional.empty()
                : Optional.of(Choices.require(Choices.TokenFormat.class, accessTokenFormat, "accessTokenFormat"));
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    public Builder toBuilder() {
        return new Builder(id).name(name).secret(secret).secretHash(secretHash).publicClient(publicClient)
                .redirectUris(redirectUris).postLogoutRedirectUris(postLogoutRedirectUris).grantTypes(grantTypes)
                .scopes(scopes).tokenEndpointAuthMethod(tokenEndpointAuthMethod).jwksUri(jwksUri).jwks(jwks)
                .audience(audience).claims(claims)
                .consent(consent).accessTokenTtl(accessTokenTtl).idTokenTtl(idTokenTtl).subjectType(subjectType)
                .sectorIdentifierUri(sectorIdentifierUri)
                .idTokenSigningAlg(idTokenSigningAlg).accessTokenSigningAlg(accessTokenSigningAlg)
                .idTokenEncryption(idTokenEncryption)
                .userinfoSignedResponseAlg(userinfoSignedResponseAlg).userinfoEncryption(userinfoEncryption)
                .introspect(introspect)
                .requirePkce(requirePkce)
                .idJag(idJag).accessTokenFormat(accessTokenFormat);
    }

    @Override
    public String toString() {
        return "ClientConfig[id=" + id + ", name=" + name + ", secret=" + Redaction.mask(secret)
                + ", secretHash=" + Redaction.mask(secretHash) + ", public=" + publicClient
                + ", redirectUris=" + redirectUris + ", postLogoutRedirectUris=" + postLogoutRedirectUris
                + ", grantTypes=" + grantTypes + ", scopes=" + scopes
                + ", tokenEndpointAuthMethod=" + tokenEndpointAuthMethod + ", jwksUri=" + jwksUri
                + ", jwks=" + (jwks == null ? "none" : "set") + ", audience=" + audience
                + ", claims=" + claims + ", consent=" + consent + ", accessTokenTtl=" + accessTokenTtl
                + ", idTokenTtl=" + idTokenTtl + ", subjectType=" + subjectType + ", sectorIdentifierUri=" + sectorIdentifierUri
                + ", idTokenSigningAlg=" + idTokenSigningAlg + ", accessTokenSigningAlg=" + accessTokenSigningAlg
                + ", idTokenEncryption=" + idTokenEncryption
                + ", userinfoSignedResponseAlg=" + userinfoSignedResponseAlg
                + ", userinfoEncryption=" + userinfoEncryption
                + ", introspect=" + introspect + ", idJag=" + idJag + ", accessTokenFormat=" + accessTokenFormat
                + ", requirePkce=" + requirePkce + "]";
    }

    /** Starts from the SPEC §2 defaults; unset values resolve in the record constructor. */
    public static final class Builder {
        private final String id;
        private String name;
        private String secret;
        private String secretHash;
        private boolean publicClient;
        private List<String> redirectUris;
        private List<String> postLogoutRedirectUris;
        private List<String> grantTypes;
        private List<String> scopes;
        private String tokenEndpointAuthMethod;
        private String jwksUri;
        private Object jwks;
        private List<String> audience;
        private List<String> claims;
        private String consent;
        private Duration accessTokenTtl;
        private Duration idTokenTtl;
        private String subjectType;
        private String sectorIdentifierUri;
        private String idTokenSigningAlg;
        private String accessTokenSigningAlg;
        private ResponseEncryptionConfig idTokenEncryption;
        private String userinfoSignedResponseAlg;
        private ResponseEncryptionConfig userinfoEncryption;
        private boolean introspect;
        private boolean requirePkce = true;
        private List<IdJagConfig> idJag;
        private String accessTokenFormat;

        private Builder(String id) {
            this.id = id;
        }

        public Builder name(String v) { this.name = v; return this; }
        public Builder secret(String v) { this.secret = v; return this; }
        public Builder secretHash(String v) { this.secretHash = v; return this; }
        public Builder publicClient(boolean v) { this.publicClient = v; return this; }
        public Builder redirectUris(List<String> v) { this.redirectUris = v; return this; }
        public Builder postLogoutRedirectUris(List<String> v) { this.postLogoutRedirectUris = v; return this; }
        public Builder grantTypes(List<String> v) { this.grantTypes = v; return this; }
        public Builder scopes(List<String> v) { this.scopes = v; return this; }
        public Builder tokenEndpointAuthMethod(String v) { this.tokenEndpointAuthMethod = v; return this; }
        public Builder jwksUri(String v) { this.jwksUri = v; return this; }
        public Builder jwks(Object v) { this.jwks = v; return this; }
        public Builder audience(List<String> v) { this.audience = v; return this; }
        public Builder claims(List<String> v) { this.claims = v; return this; }
        public Builder consent(String v) { this.consent = v; return this; }
        public Builder accessTokenTtl(Duration v) { this.accessTokenTtl = v; return this; }
        public Builder idTokenTtl(Duration v) { this.idTokenTtl = v; return this; }
        public Builder subjectType(String v) { this.subjectType = v; return this; }
        public Builder sectorIdentifierUri(String v) { this.sectorIdentifierUri = v; return this; }
        public Builder idTokenSigningAlg(String v) { this.idTokenSigningAlg = v; return this; }
        public Builder accessTokenSigningAlg(String v) { this.accessTokenSigningAlg = v; return this; }
        public Builder idTokenEncryption(ResponseEncryptionConfig v) { this.idTokenEncryption = v; return this; }
        public Builder userinfoSignedResponseAlg(String v) { this.userinfoSignedResponseAlg = v; return this; }
        public Builder userinfoEncryption(ResponseEncryptionConfig v) { this.userinfoEncryption = v; return this; }
        public Builder introspect(boolean v) { this.introspect = v; return this; }
        public Builder requirePkce(boolean v) { this.requirePkce = v; return this; }
        public Builder idJag(List<IdJagConfig> v) { this.idJag = v; return this; }
        public Builder accessTokenFormat(String v) { this.accessTokenFormat = v; return this; }

        public ClientConfig build() {
            return new ClientConfig(id, name, secret, secretHash, publicClient, redirectUris, postLogoutRedirectUris,
                    grantTypes, scopes, tokenEndpointAuthMethod, jwksUri, jwks, audience, claims, consent, accessTokenTtl,
                    idTokenTtl, subjectType, sectorIdentifierUri, idTokenSigningAlg, accessTokenSigningAlg, idTokenEncryption,
                    userinfoSignedResponseAlg,
                    userinfoEncryption, introspect, idJag,
                    accessTokenFormat, requirePkce);
        }
    }
}
