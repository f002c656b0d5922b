package dev.tessera.server.infrastructure.metrics;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.keys.KeyRing;
import dev.tessera.server.application.keys.RotationSchedule;
import dev.tessera.server.application.keys.SigningKey;
import dev.tessera.server.application.port.KeyRingSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The signing keys at scrape time: each published key's age since it started signing (negative while it is only
 * pre-published), by kid and algorithm, and with {@code keys.rotation} when the next key of each algorithm will start
 * signing. Rows are replaced at every scrape, so a retired key's series disappears with it.
 */
public final class KeyMetrics {
    private final KeyRingSource keys;
    private final RotationSchedule schedule;
    private final Clock clock;
    private MultiGauge ages;
    private MultiGauge nextRotation;

    public KeyMetrics(KeyRingSource keys, RotationSchedule schedule, Clock clock) {
        this.keys = keys;
        this.schedule = schedule;
        this.clock = clock;
    }

    /** Registers the gauges and fills them; then call {@link #refresh} before each scrape. */
    public void bindTo(MeterRegistry registry) {
        ages = MultiGauge.builder("tessera.signing.key.age").baseUnit("seconds")
                .description("Seconds since each published signing key started signing (negative: pre-published, not signing yet)")
                .register(registry);
        if (schedule.automatic()) {
            nextRotation = MultiGauge.builder("tessera.signing.key.next.rotation.timestamp").baseUnit("seconds")
                    .description("Unix time at which the next key of each algorithm starts signing (keys.rotation)")
                    .register(registry);
        }
        refresh();
    }

    public void refresh() {
        KeyRing ring = keys.current();
        Instant now = clock.instant();
        List<MultiGauge.Row<?>> ageRows = new ArrayList<>();
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        for (SigningKey key : ring.published()) {
            algorithms.add(key.algorithm());
            double seconds = Duration.between(key.activatesAt(), now).toMillis() / 1000.0;
            ageRows.add(MultiGauge.Row.of(Tags.of("kid", key.kid(), "alg", key.algorithm().getName()), seconds));
        }
        ages.register(ageRows, true);
        if (nextRotation != null) {
            List<MultiGauge.Row<?>> rotationRows = new ArrayList<>();
            for (JWSAlgorithm algorithm : algorithms) {
                schedule.nextActivation(ring, algorithm, now).ifPresent(at -> rotationRows.add(
                        MultiGauge.Row.of(Tags.of("alg", algorithm.getName()), at.toEpochMilli() / 1000.0)));
            }
            nextRotation.register(rotationRows, true);
        }
    }
}
