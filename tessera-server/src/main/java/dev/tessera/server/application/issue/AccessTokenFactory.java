package dev.tessera.server.application.issue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.keys.JwtSigner;
import dev.tessera.server.application.port.AccessTokenStore;
import dev.tessera.server.application.port.AccessTokenStore.IssuedAccessToken;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.authz.GrantId;
import dev.tessera.server.domain.client.AccessTokenFormat;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.token.OpaqueToken;
import dev.tessera.server.domain.scope.Scopes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints RFC 9068 JWT access tokens ({@code typ: at+jwt}), or opaque ones for clients (or servers) set to
 * {@code accessTokenFormat: opaque}. JWTs tied to a user grant are recorded by jti so that a replayed code
 * or a revoked refresh family can end them; client_credentials JWTs are not, which keeps that hot path
 * free of writes. Opaque tokens are always recorded: the store is their only source of truth.
 */
public final class AccessTokenFactory {
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final JwtSigner signer;
    private final AccessTokenStore accessTokens;
    private final SubjectResolver subjects;
    private final ServerSettings settings;
    private final Clock clock;

    public AccessTokenFactory(JwtSigner signer, AccessTokenStore accessTokens, SubjectResolver subjects,
                              ServerSettings settings, Clock clock) {
        this.signer = signer;
        this.accessTokens = accessTokens;
        this.subjects = subjects;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A token for a user.
     *
     * @param userId the local user id; the token's {@code sub} is what this client sees (pairwise for a pairwise
     *               client, OIDC Core §8.1, SPEC §5), and only the store keeps the local id
     * @param grantId null for tokens without a user grant (jwt-bearer, token exchange of an ID token)
     */
    public IssuedToken create(Client client, String userId, Scopes scopes, List<String> audience,
                              AuthenticationEvent authentication, List<String> roles, GrantId grantId) {
        Minted minted = mint(client, userId, scopes, audience, authentication, roles, grantId);
        record(minted);
        return minted.token();
    }

    /** A client_credentials token: {@code sub} is the client id, and no user stands behind it. */
    public IssuedToken createForClient(Client client, Scopes scopes, List<String> audience) {
        Minted minted = mint(client, false, client.id(), client.id(), scopes, audience, null, null, null);
        record(minted);
        return minted.token();
    }

    /**
     * The token without its store write, for callers that commit the write together with their own (a
     * rotation, a redemption) after the whole response was built; {@link #record} does the write.
     */
    public Minted mint(Client client, String userId, Scopes scopes, List<String> audience,
                       AuthenticationEvent authentication, List<String> roles, GrantId grantId) {
        return mint(client, true, userId, subjects.subjectFor(client, userId), scopes, audience, authentication,
                roles, grantId);
    }

    /**
     * @param localSubject the user id, or the client id for client_credentials; the store keeps it
     * @param subject the {@code sub} claim
     */
    private Minted mint(Client client, boolean userToken, String localSubject, String subject, Scopes scopes,
                        List<String> audience, AuthenticationEvent authentication, List<String> roles,
                        GrantId grantId) {
        Instant now = clock.instant();
        Duration ttl = client.accessTokenTtl() != null ? client.accessTokenTtl() : settings.accessTokenTtl();
        Instant expiresAt = now.plus(ttl);
        String jti = UUID.randomUUID().toString();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(subject)
                .audience(audience)
                .claim("client_id", client.id())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(jti);
        if (!scopes.isEmpty()) {
            claims.claim("scope", scopes.asString());
        }
        if (authentication != null) {
            claims.claim("auth_time", authentication.authTime().getEpochSecond())
                    .claim("acr", authentication.acr())
                    .claim("amr", authentication.amr());
        }
        if (roles != null && !roles.isEmpty()) {
            claims.claim("roles", roles);
        }
        AccessTokenFormat format = client.accessTokenFormat() != null
                ? client.accessTokenFormat() : settings.accessTokenFormat();
        if (format == AccessTokenFormat.OPAQUE) {
            // Only introspection reveals an opaque token's content, so its claims live in the store.
            OpaqueToken opaque = OpaqueToken.generate(OpaqueToken.ACCESS_PREFIX);
            return new Minted(new IssuedToken(opaque.value(), jti, now, expiresAt), new IssuedAccessToken(jti,
                    grantId, client.id(), localSubject, opaque.hash().value(), claims.build().toString(), now,
                    expiresAt));
        }
        String value = signer.sign(JWSAlgorithm.parse(client.accessTokenSigningAlg()), AT_JWT, claims.build())
                .serialize();
        // User tokens are recorded so they can be revoked and so userinfo, introspection and token exchange can
        // find the user behind a pairwise sub; client_credentials JWTs are not, keeping that hot path write-free.
        return new Minted(new IssuedToken(value, jti, now, expiresAt), !userToken ? null
                : new IssuedAccessToken(jti, grantId, client.id(), localSubject, null, null, now, expiresAt));
    }

    /** Stores what the minted token needs to be revocable (or, when opaque, to exist at all). */
    public void record(Minted minted) {
        if (minted.storeRecord() != null) {
            accessTokens.record(minted.storeRecord());
        }
    }

    /** A token not yet recorded: {@code storeRecord} is null when nothing needs storing. */
    public record Minted(IssuedToken token, IssuedAccessToken storeRecord) {
        /** The same token, its store record carrying the grant's claims request (JSON, or null). */
        public Minted withClaimsRequest(String json) {
            return storeRecord == null || json == null ? this
                    : new Minted(token, storeRecord.withClaimsRequest(json));
        }

        @Override
        public String toString() {
            return "Minted[" + token + "]";
        }
    }

    /** A minted access token and its lifetime. */
    public record IssuedToken(String value, String jti, Instant issuedAt, Instant expiresAt) {
        public long expiresIn() {
            return Duration.between(issuedAt, expiresAt).toSeconds();
        }

        @Override
        public String toString() {
            return "IssuedToken[" + jti + "]";
        }
    }
}
