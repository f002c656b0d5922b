package dev.tessera.server.infrastructure.metrics;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.RotationSchedule;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.testsupport.MetricsScrape;
import dev.tessera.server.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Key ages and the next rotation at /metrics follow the key ring as it changes: a retired key's series goes too. */
class KeyMetricsTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void agesAndTheNextRotationFollowTheRing() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        SigningKey first = SigningKey.fromKeyPair(ec.generateKeyPair(), JWSAlgorithm.ES256, T0);
        SigningKey second = SigningKey.fromKeyPair(ec.generateKeyPair(), JWSAlgorithm.ES256, T0.plus(Duration.ofDays(90)));
        AtomicReference<KeyRing> ring = new AtomicReference<>(new KeyRing(List.of(first)));
        MutableClock clock = new MutableClock(T0.plus(Duration.ofDays(10)));
        PrometheusMetrics metrics = new PrometheusMetrics();
        KeyMetrics keys = new KeyMetrics(ring::get,
                RotationSchedule.automatic(Duration.ofDays(90), Duration.ofDays(7), Duration.ofMinutes(15)), clock);
        keys.bindTo(metrics.registry());
        metrics.beforeScrape(registry -> keys.refresh());

        MetricsScrape day10 = new MetricsScrape(metrics.scrape());
        assertThat(day10.value(age(first))).isEqualTo(Duration.ofDays(10).toSeconds());
        assertThat(day10.value("tessera_signing_key_next_rotation_timestamp_seconds{alg=\"ES256\"}"))
                .isEqualTo(T0.plus(Duration.ofDays(90)).getEpochSecond());

        // The successor is published seven days early: negative age until it signs.
        clock.advance(Duration.ofDays(73));
        ring.set(new KeyRing(List.of(first, second)));
        MetricsScrape day83 = new MetricsScrape(metrics.scrape());
        assertThat(day83.value(age(second))).isEqualTo(-Duration.ofDays(7).toSeconds());
        assertThat(day83.value(age(first))).isEqualTo(Duration.ofDays(83).toSeconds());

        // The first key retired: its series leaves; the next rotation moves 90 days on.
        clock.advance(Duration.ofDays(10));
        ring.set(new KeyRing(List.of(second)));
        MetricsScrape day93 = new MetricsScrape(metrics.scrape());
        assertThat(day93.has(age(first))).isFalse();
        assertThat(day93.value(age(second))).isEqualTo(Duration.ofDays(3).toSeconds());
        assertThat(day93.value("tessera_signing_key_next_rotation_timestamp_seconds{alg=\"ES256\"}"))
                .isEqualTo(T0.plus(Duration.ofDays(180)).getEpochSecond());
    }

    private static String age(SigningKey key) {
        return "tessera_signing_key_age_seconds{alg=\"ES256\",kid=\"" + key.kid() + "\"}";
    }
}
