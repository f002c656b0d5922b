package dev.tessera.server.domain;

import dev.tessera.server.domain.authz.PkceChallenge;
import dev.tessera.server.domain.error.OAuthException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PkceChallengeTest {
    // RFC 7636 Appendix B test vector
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void acceptsTheVerifierOfRfc7636AppendixB() {
        assertThat(PkceChallenge.s256(CHALLENGE).verify(VERIFIER)).isTrue();
    }

    @Test
    void rejectsAnyOtherVerifier() {
        PkceChallenge challenge = PkceChallenge.s256(CHALLENGE);
        assertThat(challenge.verify(VERIFIER.substring(1) + "A")).isFalse();
        assertThat(challenge.verify(CHALLENGE)).isFalse();
        assertThat(challenge.verify(null)).isFalse();
    }

    @Test
    void rejectsVerifiersOutsideTheRfcSyntax() {
        PkceChallenge challenge = PkceChallenge.s256(CHALLENGE);
        assertThat(challenge.verify("short")).isFalse();
        assertThat(challenge.verify("a".repeat(129))).isFalse();
        assertThat(challenge.verify(VERIFIER.replace('-', '+'))).isFalse();
    }

    @Test
    void rejectsChallengesThatCannotBeAnS256Digest() {
        assertThatThrownBy(() -> PkceChallenge.s256("plain-text-challenge")).isInstanceOf(OAuthException.class);
        assertThatThrownBy(() -> PkceChallenge.s256(CHALLENGE + "A")).isInstanceOf(OAuthException.class);
        assertThatThrownBy(() -> PkceChallenge.s256(null)).isInstanceOf(OAuthException.class);
    }
}
