package dev.tessera.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void parsesEveryUnitTheSpecUses() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("60s")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Durations.parse("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void toleratesSurroundingWhitespace() {
        assertThat(Durations.parse(" 5m ")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesANumberWithoutUnit() {
        assertThatThrownBy(() -> Durations.parse("60"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ms, s, m, h or d");
    }

    @Test
    void refusesNegativeFractionalCompoundAndUnknownUnits() {
        for (String bad : new String[] {"-5s", "1.5h", "1h30m", "5w", "5 m", "PT5M", "m", "5S"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesEmptyAndNull() {
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("not empty");
        assertThatThrownBy(() -> Durations.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAnAbsurdlyLongNumberInsteadOfOverflowing() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theErrorMessageNeverRepeatsTheInput() {
        assertThatThrownBy(() -> Durations.parse("s3cr3t-value")).message().doesNotContain("s3cr3t");
    }

    @Test
    void formatsInTheLargestExactUnit() {
        assertThat(Durations.format(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
