package dev.tessera.server.bootstrap;

import com.nimbusds.jose.jwk.JWKSet;
import dev.tessera.server.application.authorize.PasswordPolicy;
import dev.tessera.server.application.port.PasswordHasher;
import dev.tessera.server.config.AccountLinkConfig;
import dev.tessera.server.config.Choices;
import dev.tessera.server.config.ClientConfig;
import dev.tessera.server.config.IdJagConfig;
import dev.tessera.server.config.PasswordsConfig;
import dev.tessera.server.config.TrustedIssuerConfig;
import dev.tessera.server.domain.trust.TrustedIssuer;
import dev.tessera.server.domain.trust.TrustedIssuers;
import dev.tessera.server.config.ResponseEncryptionConfig;
import dev.tessera.server.config.UserConfig;
import dev.tessera.server.domain.client.AccessTokenFormat;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.client.ConsentPolicy;
import dev.tessera.server.domain.client.IdJagPolicy;
import dev.tessera.server.domain.client.ResponseEncryption;
import dev.tessera.server.domain.client.SubjectType;
import dev.tessera.server.domain.client.TokenEndpointAuthMethod;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.AccountLink;
import dev.tessera.server.domain.user.User;

import java.net.URI;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns validated config records into domain objects for the startup upsert. It expects a config that passed
 * {@code ConfigValidator}; an invalid value here is a programming error and throws IllegalArgumentException.
 */
public final class ConfigToDomain {
    private ConfigToDomain() {
    }

    /**
     * @param hashClientSecret the client secret hasher (salted SHA-256, SPEC §4), applied to a clear-text
     *                         {@code secret}; a {@code secretHash} is taken as is
     */
    public static Client toClient(ClientConfig c, Function<String, String> hashClientSecret) {
        String secretHash = c.secretHash() != null ? c.secretHash()
                : c.secret() != null ? hashClientSecret.apply(c.secret()) : null;
        return Client.builder(c.id())
                .name(c.name())
                .secretHash(secretHash)
                .publicClient(c.publicClient())
                .redirectUris(c.redirectUris())
                .postLogoutRedirectUris(c.postLogoutRedirectUris())
                .grantTypes(new LinkedHashSet<>(c.grantTypes()))
                .scopes(Scopes.of(c.scopes()))
                .authMethod(authMethod(c.parsedAuthMethod()))
                .jwksUri(c.jwksUri())
                .jwks(jwks(c))
                .audience(c.audience())
                .claims(new LinkedHashSet<>(c.claims()))
                .consent(consent(c.parsedConsent()))
                .accessTokenTtl(c.accessTokenTtl())
                .idTokenTtl(c.idTokenTtl())
                .subjectType(subjectType(c.parsedSubjectType()))
                .idTokenSigningAlg(c.idTokenSigningAlg())
                .accessTokenSigningAlg(c.accessTokenSigningAlg())
                .idTokenEncryption(encryption(c.idTokenEncryption()))
                .userinfoSignedResponseAlg(c.userinfoSignedResponseAlg())
                .userinfoEncryption(encryption(c.userinfoEncryption()))
                .introspect(c.introspect())
                .requirePkce(c.requirePkce())
                .idJag(c.idJag().stream().map(entry -> idJagPolicy(entry, c.id())).toList())
                .accessTokenFormat(c.parsedAccessTokenFormat().map(ConfigToDomain::accessTokenFormat).orElse(null))
                .sectorIdentifier(sectorIdentifier(c).orElse(null))
                .enabled(true)
                .build();
    }

    /**
     * The inline keys as JWK Set JSON, public parts only. The validator checked the shape; Nimbus reads the key
     * material itself, so a key it cannot use stops startup here rather than failing every assertion later.
     */
    static String jwks(ClientConfig c) {
        if (!(c.jwks() instanceof Map<?, ?> map)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> set = (Map<String, Object>) map;
        try {
            return JWKSet.parse(set).toPublicJWKSet().toString();
        } catch (ParseException e) {
            throw new IllegalArgumentException("client " + c.id() + ": jwks is not a usable JWK Set: " + e.getMessage(), e);
        }
    }

    /** A {@code passwordHash} is stored as is; a clear-text {@code password} is hashed with Argon2id. */
    public static User toUser(UserConfig u, PasswordHasher hasher) {
        String passwordHash = u.passwordHash();
        if (passwordHash == null && u.password() != null) {
            char[] password = u.password().toCharArray();
            try {
                passwordHash = hasher.hash(password);
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        return toUser(u, passwordHash);
    }

    /** The user with {@code passwordHash} in place of whatever password the configuration gives. */
    static User toUser(UserConfig u, String passwordHash) {
        List<AccountLink> links = u.links().stream().map(ConfigToDomain::link).toList();
        return new User(u.id(), u.username(), passwordHash, u.roles(), u.claims(), u.verifiedClaims(), links, true);
    }

    private static IdJagPolicy idJagPolicy(IdJagConfig entry, String ownClientId) {
        // SPEC §2: clientId is this client's id at that authorization server, by default its id here.
        String clientId = entry.clientId() != null ? entry.clientId() : ownClientId;
        return new IdJagPolicy(entry.audience(), clientId, entry.scopes(), entry.resources(), entry.ssoClient(),
                entry.email());
    }

    private static ResponseEncryption encryption(ResponseEncryptionConfig config) {
        return config == null ? null : new ResponseEncryption(config.alg(), config.enc(), URI.create(config.jwksUri()));
    }

    /** {@code passwords.*} for the sign-up page: the configuration's own rule, not a copy of it. */
    public static PasswordPolicy passwordPolicy(PasswordsConfig passwords) {
        return new PasswordPolicy() {
            @Override
            public Optional<String> problem(CharSequence password) {
                return passwords.problem(password);
            }

            @Override
            public int minLength() {
                return passwords.minLength();
            }
        };
    }

    public static TrustedIssuers trustedIssuers(List<TrustedIssuerConfig> issuers) {
        return new TrustedIssuers(issuers.stream()
                .map(t -> new TrustedIssuer(t.issuer(), URI.create(t.jwksUri()), t.maxAssertionLifetime(),
                        t.allowedClients()))
                .toList());
    }

    private static AccountLink link(AccountLinkConfig link) {
        return new AccountLink(link.issuer(), link.subject());
    }

    /** OIDC Core §8.1: the host of the sector identifier URI when there is one (checked at provisioning). */
    static Optional<String> sectorIdentifier(ClientConfig c) {
        if (c.sectorIdentifierUri() != null) {
            return Optional.ofNullable(URI.create(c.sectorIdentifierUri()).getHost()).map(h -> h.toLowerCase(Locale.ROOT));
        }
        return sectorIdentifier(c.redirectUris());
    }

    /**
     * OIDC Core §8.1: without a sector_identifier_uri, the sector is the host of the redirect URIs. Empty when
     * they have no host or several (the validator refuses the latter for pairwise clients).
     */
    static Optional<String> sectorIdentifier(List<String> redirectUris) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String uri : redirectUris) {
            String host = URI.create(uri).getHost();
            hosts.add(host == null ? "" : host.toLowerCase(Locale.ROOT));
        }
        return hosts.size() == 1 && !hosts.contains("") ? Optional.of(hosts.iterator().next()) : Optional.empty();
    }

    // The config's parsed choices to domain types: exhaustive switches, so a new choice without a domain
    // counterpart does not compile.

    static TokenEndpointAuthMethod authMethod(Choices.AuthMethod method) {
        return switch (method) {
            case CLIENT_SECRET_BASIC -> TokenEndpointAuthMethod.CLIENT_SECRET_BASIC;
            case CLIENT_SECRET_POST -> TokenEndpointAuthMethod.CLIENT_SECRET_POST;
            case PRIVATE_KEY_JWT -> TokenEndpointAuthMethod.PRIVATE_KEY_JWT;
            case NONE -> TokenEndpointAuthMethod.NONE;
        };
    }

    static ConsentPolicy consent(Choices.Consent consent) {
        return switch (consent) {
            case REQUIRED -> ConsentPolicy.REQUIRED;
            case SKIP -> ConsentPolicy.SKIP;
        };
    }

    static SubjectType subjectType(Choices.SubjectType type) {
        return switch (type) {
            case PUBLIC -> SubjectType.PUBLIC;
            case PAIRWISE -> SubjectType.PAIRWISE;
        };
    }

    public static AccessTokenFormat accessTokenFormat(Choices.TokenFormat format) {
        return switch (format) {
            case JWT -> AccessTokenFormat.JWT;
            case OPAQUE -> AccessTokenFormat.OPAQUE;
        };
    }
}
