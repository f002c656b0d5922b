package dev.tessera.server.application.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.RotationSchedule.Generate;
import dev.tessera.server.application.port.SigningKeyStore.KeyInfo;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RotationScheduleTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration EVERY = Duration.ofDays(90);
    private static final Duration PRE_PUBLISH = Duration.ofDays(7);
    private static final Duration TOKEN_TTL = Duration.ofMinutes(15);
    private final RotationSchedule schedule = RotationSchedule.automatic(EVERY, PRE_PUBLISH, TOKEN_TTL);

    private static KeyInfo key(String kid, JWSAlgorithm alg, Instant activatesAt) {
        return new KeyInfo(kid, alg, activatesAt, activatesAt, null, null);
    }

    private static KeyInfo rs(String kid, Instant activatesAt) {
        return key(kid, JWSAlgorithm.RS256, activatesAt);
    }

    private static Instant days(long days) {
        return T0.plus(Duration.ofDays(days));
    }

    @Test
    void nothingIsMadeWhileTheActiveKeyIsYoungerThanEveryMinusPrePublish() {
        assertThat(schedule.plan(List.of(rs("a", T0)), days(83).minusSeconds(1)).generate()).isEmpty();
    }

    @Test
    void theNextKeyIsMadePrePublishBeforeItSignsAndSignsEveryAfterItsPredecessor() {
        assertThat(schedule.plan(List.of(rs("a", T0)), days(83)).generate())
                .containsExactly(new Generate(JWSAlgorithm.RS256, days(90)));
    }

    @Test
    void afterAnOutageTheNextKeyIsStillPublishedPrePublishBeforeItSigns() {
        Instant late = days(100);

        assertThat(schedule.plan(List.of(rs("a", T0)), late).generate())
                .containsExactly(new Generate(JWSAlgorithm.RS256, late.plus(PRE_PUBLISH)));
    }

    @Test
    void noSecondKeyIsMadeWhileASuccessorIsPending() {
        assertThat(schedule.plan(List.of(rs("a", T0), rs("b", days(90))), days(85)).generate()).isEmpty();
    }

    @Test
    void aSupersededKeyStaysPublishedUntilTheLongestTokenItSignedHasExpiredPlusSkew() {
        List<KeyInfo> keys = List.of(rs("a", T0), rs("b", days(90)));
        Instant lastTokenExpires = days(90).plus(TOKEN_TTL).plus(RotationSchedule.CLOCK_SKEW);

        assertThat(schedule.plan(keys, lastTokenExpires.minusSeconds(1)).retire()).isEmpty();
        assertThat(schedule.plan(keys, lastTokenExpires).retire()).extracting(KeyInfo::kid).containsExactly("a");
    }

    @Test
    void thePendingKeyIsNeverRetiredAndNeitherIsTheActiveOne() {
        List<KeyInfo> keys = List.of(rs("a", T0), rs("b", days(90)));

        assertThat(schedule.plan(keys, days(89)).retire()).isEmpty();
    }

    @Test
    void eachAlgorithmRotatesOnItsOwnSchedule() {
        List<KeyInfo> keys = List.of(rs("a", T0), key("e", JWSAlgorithm.ES256, days(30)));

        assertThat(schedule.plan(keys, days(83)).generate()).containsExactly(new Generate(JWSAlgorithm.RS256, days(90)));
        assertThat(schedule.plan(List.of(rs("a2", days(90)), key("e", JWSAlgorithm.ES256, days(30))), days(113)).generate())
                .containsExactly(new Generate(JWSAlgorithm.ES256, days(120)));
    }

    @Test
    void retiredKeysCountForNothing() {
        KeyInfo retired = new KeyInfo("z", JWSAlgorithm.RS256, days(80), days(80), days(80), days(81));

        assertThat(schedule.plan(List.of(rs("a", T0), retired), days(83)).generate())
                .containsExactly(new Generate(JWSAlgorithm.RS256, days(90)));
    }

    @Test
    void anAlgorithmWithOnlyAPendingKeyIsLeftAlone() {
        assertThat(schedule.plan(List.of(key("p", JWSAlgorithm.PS256, days(200))), days(100)).isEmpty()).isTrue();
    }

    @Test
    void keysWhoseActivationPassedAreAnnouncedOnceEachAndPendingOnesNot() {
        KeyInfo announced = new KeyInfo("a", JWSAlgorithm.RS256, T0, T0, T0, null);
        List<KeyInfo> keys = List.of(announced, rs("b", days(90)), rs("c", days(180)));

        assertThat(schedule.plan(keys, days(91)).announce()).extracting(KeyInfo::kid).containsExactly("b");
    }

    @Test
    void aManualScheduleOnlyAnnouncesActivations() {
        List<KeyInfo> keys = List.of(rs("a", T0), rs("b", days(90)));
        RotationSchedule.Plan plan = RotationSchedule.manual().plan(keys, days(400));

        assertThat(plan.generate()).isEmpty();
        assertThat(plan.retire()).isEmpty();
        assertThat(plan.announce()).extracting(KeyInfo::kid).containsExactly("a", "b");
    }

    @Test
    void theNextActivationIsThePendingKeyOrEveryAfterTheActiveOneButNeverSoonerThanPrePublish() throws Exception {
        java.security.KeyPairGenerator ec = java.security.KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        SigningKey active = SigningKey.fromKeyPair(ec.generateKeyPair(), JWSAlgorithm.ES256, T0);
        SigningKey pending = SigningKey.fromKeyPair(ec.generateKeyPair(), JWSAlgorithm.ES256, days(90));
        KeyRing alone = new KeyRing(List.of(active));

        assertThat(schedule.nextActivation(alone, JWSAlgorithm.ES256, days(10))).contains(days(90));
        // Past the point the successor should have been made (an outage): prePublish from now.
        assertThat(schedule.nextActivation(alone, JWSAlgorithm.ES256, days(100))).contains(days(107));
        assertThat(schedule.nextActivation(new KeyRing(List.of(active, pending)), JWSAlgorithm.ES256, days(85)))
                .contains(days(90));
        assertThat(schedule.nextActivation(alone, JWSAlgorithm.RS256, days(10))).as("no key of that alg").isEmpty();
        assertThat(RotationSchedule.manual().nextActivation(alone, JWSAlgorithm.ES256, days(10))).isEmpty();
    }
}
