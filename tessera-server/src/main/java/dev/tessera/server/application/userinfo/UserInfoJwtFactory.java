package dev.tessera.server.application.userinfo;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.server.application.issue.ResponseEncrypter;
import dev.tessera.server.application.keys.JwtSigner;
import dev.tessera.server.domain.client.Client;

import java.time.Clock;
import java.util.Date;
import java.util.Map;

/**
 * Turns the released userinfo claims into the answer the client registered (OIDC Core §5.3.2): JSON by
 * default; with {@code userinfoSignedResponseAlg} a JWT signed with the key ring's key for that alg, carrying
 * {@code iss} and {@code aud} = the client; with {@code userinfoEncryption} as well, that JWT nested in a JWE
 * to the client's key, exactly as ID tokens are.
 */
public final class UserInfoJwtFactory {
    private static final String PURPOSE = "userinfo";

    private final JwtSigner signer;
    private final ResponseEncrypter encrypter;
    private final String issuer;
    private final Clock clock;

    public UserInfoJwtFactory(JwtSigner signer, ResponseEncrypter encrypter, String issuer, Clock clock) {
        this.signer = signer;
        this.encrypter = encrypter;
        this.issuer = issuer;
        this.clock = clock;
    }

    public UserInfoAnswer answer(Client client, Map<String, Object> claims) {
        if (client.userinfoSignedResponseAlg() == null) {
            return new UserInfoAnswer.Claims(claims);
        }
        JWTClaimsSet.Builder jwt = new JWTClaimsSet.Builder();
        claims.forEach(jwt::claim);
        // Set after the user's claims so that a custom claim of the same name can never replace them. iat lets
        // the client judge freshness; there is no exp, so the answer cannot pass for an ID token.
        jwt.issuer(issuer).audience(client.id()).issueTime(Date.from(clock.instant()));
        SignedJWT signed = signer.sign(JWSAlgorithm.parse(client.userinfoSignedResponseAlg()), JOSEObjectType.JWT,
                jwt.build());
        if (client.userinfoEncryption() != null) {
            return new UserInfoAnswer.Jwt(encrypter.encrypt(client.userinfoEncryption(), signed, PURPOSE));
        }
        return new UserInfoAnswer.Jwt(signed.serialize());
    }
}
