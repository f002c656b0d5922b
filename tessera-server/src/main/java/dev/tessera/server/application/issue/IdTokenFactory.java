package dev.tessera.server.application.issue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.ServerSettings;
import dev.tessera.server.application.keys.JwtSigner;
import dev.tessera.server.domain.authz.AuthenticationEvent;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.client.Client;
import dev.tessera.server.domain.scope.Scopes;
import dev.tessera.server.domain.user.User;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/**
 * Mints OIDC ID tokens (OIDC Core §2) signed with the client's registered algorithm, and encrypted to
 * the client (nested JWT) when it registered idTokenEncryption.
 */
public final class IdTokenFactory {
    private final JwtSigner signer;
    private final ResponseEncrypter encrypter;
    private final SubjectResolver subjects;
    private final ClaimsAssembler claimsAssembler;
    private final ServerSettings settings;
    private final Clock clock;

    public IdTokenFactory(JwtSigner signer, ResponseEncrypter encrypter, SubjectResolver subjects,
                          ClaimsAssembler claimsAssembler, ServerSettings settings, Clock clock) {
        this.signer = signer;
        this.encrypter = encrypter;
        this.subjects = subjects;
        this.claimsAssembler = claimsAssembler;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * @param nonce null when the authorization request had none
     * @param accessToken the access token issued alongside, for at_hash; may be null
     */
    public String create(Client client, User user, Scopes scopes, AuthenticationEvent authentication, String nonce,
                         String sessionId, String accessToken, ClaimsRequest claimsRequest) {
        Instant now = clock.instant();
        Duration ttl = client.idTokenTtl() != null ? client.idTokenTtl() : settings.idTokenTtl();
        JWSAlgorithm alg = JWSAlgorithm.parse(client.idTokenSigningAlg());
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        Map<String, Object> userClaims = claimsAssembler.claimsFor(user, client, scopes, claimsRequest,
                ClaimsRequest.Target.ID_TOKEN);
        userClaims.forEach(claims::claim);
        claims.issuer(settings.issuer())
                .subject(subjects.subjectFor(client, user.id()))
                .audience(client.id())
                .expirationTime(Date.from(now.plus(ttl)))
                .issueTime(Date.from(now))
                .claim("auth_time", authentication.authTime().getEpochSecond())
                .claim("acr", authentication.acr())
                .claim("amr", authentication.amr())
                .claim("azp", client.id());
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        if (sessionId != null) {
            claims.claim("sid", sessionId);
        }
        if (accessToken != null) {
            claims.claim("at_hash", atHash(accessToken));
        }
        SignedJWT signed = signer.sign(alg, JOSEObjectType.JWT, claims.build());
        if (client.idTokenEncryption() != null) {
            return encrypter.encrypt(client.idTokenEncryption(), signed, "ID token");
        }
        return signed.serialize();
    }

    // OIDC Core §3.1.3.6: base64url of the left half of the hash; RS256, PS256 and ES256 all use SHA-256.
    static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
