package dev.tessera.server.http.view;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Token lifetimes in the words a person reads at a glance on the dev callback page. */
class ExpiryWordsTest {
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

    private static String in(Duration left) {
        return ExpiryWords.describe(NOW.plus(left), NOW);
    }

    @Test
    void secondsUpToAMinuteAndAHalf() {
        assertThat(in(Duration.ofSeconds(1))).isEqualTo("expires in 1\u00A0second");
        assertThat(in(Duration.ofSeconds(45))).isEqualTo("expires in 45\u00A0seconds");
        assertThat(in(Duration.ofSeconds(89))).isEqualTo("expires in 89\u00A0seconds");
    }

    @Test
    void minutesRoundedUpToTwoHours() {
        assertThat(in(Duration.ofSeconds(90))).isEqualTo("expires in 2\u00A0minutes");
        assertThat(in(Duration.ofMinutes(14))).isEqualTo("expires in 14\u00A0minutes");
        // a 15-minute token a moment after it was issued
        assertThat(in(Duration.ofMinutes(15).minusMillis(400))).isEqualTo("expires in 15\u00A0minutes");
        assertThat(in(Duration.ofMinutes(119))).isEqualTo("expires in 119\u00A0minutes");
    }

    @Test
    void hoursThenDays() {
        assertThat(in(Duration.ofHours(2))).isEqualTo("expires in 2\u00A0hours");
        assertThat(in(Duration.ofHours(47))).isEqualTo("expires in 47\u00A0hours");
        assertThat(in(Duration.ofDays(30))).isEqualTo("expires in 30\u00A0days");
        assertThat(in(Duration.ofDays(1).plusHours(23).plusMinutes(40))).isEqualTo("expires in 2\u00A0days");
    }

    @Test
    void thePastIsSaidAsSuch() {
        assertThat(in(Duration.ofSeconds(-1))).isEqualTo("expired 1\u00A0second ago");
        assertThat(in(Duration.ofMinutes(-3))).isEqualTo("expired 3\u00A0minutes ago");
        assertThat(in(Duration.ZERO)).isEqualTo("expires now");
        assertThat(in(Duration.ofMillis(300))).isEqualTo("expires now");
    }
}
