package dev.tessera.server.application.mfa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class TotpTest {
    /** RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890". */
    private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({
            "59, 0000000000000001, 94287082",
            "1111111109, 00000000023523EC, 07081804",
            "1111111111, 00000000023523ED, 14050471",
            "1234567890, 000000000273EF07, 89005924",
            "2000000000, 0000000003F940AA, 69279037",
            "20000000000, 0000000027BC86AA, 65353130"})
    void theRfc6238AppendixBVectorsForSha1(long unixTime, String hexStep, String eightDigits) {
        long step = Totp.stepAt(Instant.ofEpochSecond(unixTime));

        assertThat(step).isEqualTo(Long.parseLong(hexStep, 16));
        assertThat(Totp.code(RFC_SEED, step, 8)).isEqualTo(eightDigits);
        // Six digits are the same value modulo 10^6: the last six of the eight.
        assertThat(Totp.code(RFC_SEED, step)).isEqualTo(eightDigits.substring(2));
    }

    @Test
    void aCodeIsAcceptedForItsStepAndOneStepEitherSide() {
        Instant now = Instant.ofEpochSecond(1_111_111_111);
        long current = Totp.stepAt(now);

        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, current), now)).hasValue(current);
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, current - 1), now)).hasValue(current - 1);
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, current + 1), now)).hasValue(current + 1);
    }

    @Test
    void aCodeTwoStepsAwayIsRefused() {
        Instant now = Instant.ofEpochSecond(1_111_111_111);
        long current = Totp.stepAt(now);

        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, current - 2), now)).isEmpty();
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, current + 2), now)).isEmpty();
    }

    @Test
    void anotherSecretsCodeIsRefused() {
        Instant now = Instant.ofEpochSecond(1_234_567_890);
        byte[] other = "another secret of 20".getBytes(StandardCharsets.US_ASCII);

        OptionalLong step = Totp.matchingStep(RFC_SEED, Totp.code(other, Totp.stepAt(now)), now);

        assertThat(step).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12345", "1234567", "12345a", " 123456", "１２３４５６", "-12345"})
    void anythingButSixAsciiDigitsIsRefused(String submitted) {
        assertThat(Totp.matchingStep(RFC_SEED, submitted, Instant.ofEpochSecond(59))).isEmpty();
    }

    @Test
    void nullIsRefused() {
        assertThat(Totp.matchingStep(RFC_SEED, null, Instant.ofEpochSecond(59))).isEmpty();
    }

    @Test
    void aStepIsAcceptedUntilTheWindowHasPassedIt() {
        long step = Totp.stepAt(Instant.ofEpochSecond(1_111_111_111));
        Instant lastChance = Totp.acceptedUntil(step).minusSeconds(1);

        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step), lastChance)).hasValue(step);
        assertThat(Totp.matchingStep(RFC_SEED, Totp.code(RFC_SEED, step), Totp.acceptedUntil(step))).isEmpty();
    }
}
