package dev.tessera.resourceserver;

import static dev.tessera.resourceserver.testsupport.TokenMint.AUDIENCE;
import static dev.tessera.resourceserver.testsupport.TokenMint.accessToken;
import static dev.tessera.resourceserver.testsupport.TokenMint.accessTokenHeader;
import static dev.tessera.resourceserver.testsupport.TokenMint.claims;
import static dev.tessera.resourceserver.testsupport.TokenMint.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.tessera.resourceserver.testsupport.FakeIssuer;
import dev.tessera.resourceserver.testsupport.TokenMint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenValidatorTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static RSAKey rsa;
    private static ECKey ec;
    private static RSAKey stranger;

    private FakeIssuer issuer;
    private TokenValidator validator;

    @BeforeAll
    static void keys() {
        rsa = TokenMint.rsaKey("rsa-1");
        ec = TokenMint.ecKey("ec-1");
        stranger = TokenMint.rsaKey("rsa-1"); // same kid, different key: a forger's best guess
    }

    @BeforeEach
    void start() {
        issuer = new FakeIssuer();
        issuer.publish(rsa, ec);
        validator = validatorAt(NOW);
    }

    @AfterEach
    void stop() {
        validator.close();
        issuer.close();
    }

    private TokenValidator validatorAt(Instant now) {
        return TokenValidator.forJwksUri(issuer.jwksUri())
                .issuer(issuer.issuer())
                .audience(AUDIENCE)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .build();
    }

    private String validToken() {
        return accessToken(rsa, issuer.issuer(), NOW);
    }

    private TokenValidationException refusal(String token) {
        return (TokenValidationException) org.assertj.core.api.Assertions.catchThrowable(() -> validator.validate(token));
    }

    @Test
    void acceptsAWellFormedRs256AccessTokenAndExposesItsClaims() throws Exception {
        VerifiedToken token = validator.validate(validToken());

        assertThat(token.subject()).isEqualTo("user-42");
        assertThat(token.clientId()).isEqualTo("web-app");
        assertThat(token.scopes()).containsExactlyInAnyOrder("orders:read", "profile");
        assertThat(token.hasScope("orders:read")).isTrue();
        assertThat(token.hasScope("orders:write")).isFalse();
        assertThat(token.audience()).containsExactly(AUDIENCE);
        assertThat(token.issuer()).isEqualTo(issuer.issuer());
        assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(token.jti()).isEqualTo("jti-1");
        assertThat(token.claims()).containsEntry("client_id", "web-app").containsKey("exp");
    }

    @Test
    void acceptsAnEs256AccessToken() throws Exception {
        assertThat(validator.validate(accessToken(ec, issuer.issuer(), NOW)).subject()).isEqualTo("user-42");
    }

    @Test
    void acceptsAPs256AccessTokenByDefault() throws Exception {
        RSAKey pss = TokenMint.ps256Key("ps-1");
        issuer.publish(rsa, ec, pss);
        String token = accessToken(pss, issuer.issuer(), NOW);
        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.PS256);

        assertThat(validator.validate(token).subject()).isEqualTo("user-42");
    }

    @Test
    void refusesAnRs256TokenSignedWithAKeyPublishedForPs256() {
        RSAKey pss = TokenMint.ps256Key("ps-1");
        issuer.publish(rsa, ec, pss);
        String token = sign(pss, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ps-1")
                        .type(new JOSEObjectType("at+jwt")).build(),
                claims(issuer.issuer(), NOW).build());

        assertThat(refusal(token).error()).isEqualTo(BearerError.INVALID_TOKEN);
    }

    @Test
    void refusesAnEs256TokenWhoseSignatureWasAltered() {
        String token = accessToken(ec, issuer.issuer(), NOW);
        String forged = token.substring(0, token.length() - 2) + (token.charAt(token.length() - 2) == 'A' ? 'B' : 'A')
                + token.charAt(token.length() - 1);

        assertThat(refusal(forged).description()).contains("signature is invalid");
    }

    @Test
    void acceptsTheLongFormOfTheAccessTokenMediaType() throws Exception {
        String token = sign(rsa, accessTokenHeader(rsa).type(new JOSEObjectType("application/at+jwt")).build(),
                claims(issuer.issuer(), NOW).build());

        assertThat(validator.validate(token).subject()).isEqualTo("user-42");
    }

    @Test
    void fetchesTheJwksOnceForManyTokens() throws Exception {
        for (int i = 0; i < 20; i++) {
            validator.validate(validToken());
        }

        assertThat(issuer.jwksFetches()).isEqualTo(1);
    }

    @Test
    void refusesATokenFromAnotherIssuer() {
        TokenValidationException refused = refusal(accessToken(rsa, "https://evil.example", NOW));

        assertThat(refused.error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(refused.httpStatus()).isEqualTo(401);
        assertThat(refused.description()).contains("another issuer");
    }

    @Test
    void refusesATokenWithoutIssuer() {
        assertThat(refusal(accessToken(rsa, issuer.issuer(), NOW, c -> c.issuer(null))).description()).contains("no issuer");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        TokenValidationException refused = refusal(accessToken(rsa, issuer.issuer(), NOW,
                c -> c.audience(List.of("https://other-api.example"))));

        assertThat(refused.error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(refused.description()).contains("another audience");
    }

    @Test
    void acceptsATokenWhoseAudienceListContainsOneOfOurs() throws Exception {
        String token = accessToken(rsa, issuer.issuer(), NOW, c -> c.audience(List.of("https://other.example", AUDIENCE)));

        assertThat(validator.validate(token).audience()).contains(AUDIENCE);
    }

    @Test
    void refusesATokenWithoutAudience() {
        assertThat(refusal(accessToken(rsa, issuer.issuer(), NOW, c -> c.audience((String) null))).description())
                .contains("another audience");
    }

    @Test
    void refusesAnExpiredTokenBeyondTheClockSkew() {
        String token = accessToken(rsa, issuer.issuer(), NOW.minusSeconds(1000)); // expired 700 s ago

        assertThat(refusal(token).description()).contains("expired");
    }

    @Test
    void acceptsATokenThatExpiredWithinTheClockSkew() throws Exception {
        String token = accessToken(rsa, issuer.issuer(), NOW.minusSeconds(330)); // expired 30 s ago, skew is 60 s

        assertThat(validator.validate(token).subject()).isEqualTo("user-42");
    }

    @Test
    void refusesATokenExactlyAtTheEndOfItsSkewWindow() {
        String token = accessToken(rsa, issuer.issuer(), NOW.minusSeconds(360)); // exp + 60 s == now

        assertThat(refusal(token).description()).contains("expired");
    }

    @Test
    void honoursAConfiguredClockSkewOfZero() {
        validator.close();
        validator = TokenValidator.forJwksUri(issuer.jwksUri()).issuer(issuer.issuer()).audience(AUDIENCE)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).clockSkew(Duration.ZERO).build();

        assertThat(refusal(accessToken(rsa, issuer.issuer(), NOW.minusSeconds(301))).description()).contains("expired");
    }

    @Test
    void refusesATokenWithoutExpiry() {
        assertThat(refusal(accessToken(rsa, issuer.issuer(), NOW, c -> c.expirationTime(null))).description())
                .contains("no expiry");
    }

    @Test
    void refusesATokenThatIsNotValidYet() {
        String token = accessToken(rsa, issuer.issuer(), NOW, c -> c.notBeforeTime(Date.from(NOW.plusSeconds(120))));

        assertThat(refusal(token).description()).contains("not valid yet");
    }

    @Test
    void acceptsANotBeforeWithinTheClockSkew() throws Exception {
        String token = accessToken(rsa, issuer.issuer(), NOW, c -> c.notBeforeTime(Date.from(NOW.plusSeconds(45))));

        assertThat(validator.validate(token).subject()).isEqualTo("user-42");
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        String token = accessToken(rsa, issuer.issuer(), NOW, c -> c.issueTime(Date.from(NOW.plusSeconds(600))));

        assertThat(refusal(token).description()).contains("issued in the future");
    }

    @Test
    void refusesAnUnsecuredTokenWithAlgNone() {
        String token = new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("at+jwt")).build(),
                claims(issuer.issuer(), NOW).build()).serialize();

        assertThat(refusal(token).error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(issuer.jwksFetches()).isZero();
    }

    @Test
    void refusesAValidTokenWhoseHeaderWasRewrittenToAlgNone() {
        String[] parts = validToken().split("\\.");
        String noneHeader = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"rsa-1\"}"
                .getBytes(StandardCharsets.UTF_8)).toString();

        assertThat(refusal(noneHeader + "." + parts[1] + ".").error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(refusal(noneHeader + "." + parts[1] + "." + parts[2]).error()).isEqualTo(BearerError.INVALID_TOKEN);
    }

    @Test
    void refusesAnHs256TokenKeyedWithThePublicRsaKey() throws JOSEException {
        // the classic confusion attack: the verifier must never treat the public key as an HMAC secret
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1")
                .type(new JOSEObjectType("at+jwt")).build(), claims(issuer.issuer(), NOW).build());
        forged.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));

        TokenValidationException refused = refusal(forged.serialize());

        assertThat(refused.error()).isEqualTo(BearerError.INVALID_TOKEN);
        assertThat(refused.description()).contains("algorithm");
    }

    @Test
    void refusesAnAsymmetricAlgorithmOutsideTheAllowList() {
        validator.close();
        validator = TokenValidator.forJwksUri(issuer.jwksUri()).issuer(issuer.issuer()).audience(AUDIENCE)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).allowedAlgorithms(JWSAlgorithm.ES256).build();

        assertThat(refusal(validToken()).description()).contains("algorithm");
    }

    @Test
    void refusesAnIdTokenTypedJwt() {
        String token = sign(rsa, accessTokenHeader(rsa).type(JOSEObjectType.JWT).build(), claims(issuer.issuer(), NOW).build());

        assertThat(refusal(token).description()).contains("typ must be at+jwt");
    }

    @Test
    void refusesATokenWithoutTyp() {
        String token = sign(rsa, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims(issuer.issuer(), NOW).build());

        assertThat(refusal(token).description()).contains("typ must be at+jwt");
    }

    @Test
    void refusesATokenWithATamperedPayload() {
        String[] parts = validToken().split("\\.");
        String otherPayload = accessToken(rsa, issuer.issuer(), NOW, c -> c.subject("admin")).split("\\.")[1];

        TokenValidationException refused = refusal(parts[0] + "." + otherPayload + "." + parts[2]);

        assertThat(refused.description()).contains("signature");
    }

    @Test
    void refusesATokenWithAFlippedSignatureBit() {
        String token = validToken();
        char last = token.charAt(token.length() - 2);
        String tampered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);

        assertThat(refusal(tampered).description()).contains("signature");
    }

    @Test
    void refusesATokenSignedByAnUnpublishedKeyThatReusesAKnownKid() {
        assertThat(refusal(accessToken(stranger, issuer.issuer(), NOW)).description()).contains("signature");
    }

    @Test
    void refusesATokenWithoutSubject() {
        assertThat(refusal(accessToken(rsa, issuer.issuer(), NOW, c -> c.subject(null))).description()).contains("sub");
    }

    @Test
    void refusesATokenWithoutClientId() {
        assertThat(refusal(accessToken(rsa, issuer.issuer(), NOW, c -> c.claim("client_id", null))).description())
                .contains("client_id");
    }

    @Test
    void refusesAClaimOfTheWrongType() {
        assertThat(refusal(accessToken(rsa, issuer.issuer(), NOW, c -> c.claim("scope", List.of("a", "b")))).description())
                .contains("wrong type");
    }

    @Test
    void refusesGarbageWithoutFetchingKeys() {
        for (String garbage : List.of("x", "a.b", "a.b.c", "....", "eyJ.eyJ.sig", "Zm9v.YmFy.YmF6", "\u0000\u0001", "🙂.🙂.🙂",
                "eyJhbGciOiJSUzI1NiJ9", validToken().replace('.', '!'))) {
            TokenValidationException refused = refusal(garbage);
            assertThat(refused.error()).as(garbage).isEqualTo(BearerError.INVALID_TOKEN);
            assertThat(refused.description()).as(garbage).doesNotContain("Exception");
        }
        assertThat(issuer.jwksFetches()).isZero();
    }

    @Test
    void refusesAnEmptyTokenAsMissing() {
        assertThat(refusal("").error()).isEqualTo(BearerError.MISSING_TOKEN);
        assertThat(refusal(null).error()).isEqualTo(BearerError.MISSING_TOKEN);
    }

    @Test
    void refusesAnOversizedTokenAsInvalidRequest() {
        assertThat(refusal("a".repeat(20_000)).error()).isEqualTo(BearerError.INVALID_REQUEST);
    }

    @Test
    void reportsUnreachableKeysAsUnavailableRatherThanBlamingTheToken() {
        String token = validToken();
        issuer.close();

        TokenValidationException refused = refusal(token);

        assertThat(refused.error()).isEqualTo(BearerError.VALIDATION_UNAVAILABLE);
        assertThat(refused.httpStatus()).isEqualTo(503);
        assertThat(refused.description()).doesNotContain("127.0.0.1");
    }

    @Test
    void requiresEveryRequestedScope() throws Exception {
        assertThat(validator.validate(validToken(), Set.of("orders:read")).subject()).isEqualTo("user-42");

        assertThatThrownBy(() -> validator.validate(validToken(), Set.of("orders:read", "orders:write")))
                .isInstanceOfSatisfying(TokenValidationException.class, refused -> {
                    assertThat(refused.error()).isEqualTo(BearerError.INSUFFICIENT_SCOPE);
                    assertThat(refused.httpStatus()).isEqualTo(403);
                });
    }
}
