package dev.tessera.server.application.keys;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tessera.server.application.port.SigningKeyStore.KeyInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When keys are made and retired (SPEC §7, dex rotation.go): for each algorithm with an active key, the next key
 * is made {@code prePublish} before the active one is {@code every} old, and starts signing no sooner than
 * {@code prePublish} after it was published, so verifiers learn it first even after an outage. A superseded key
 * leaves the JWKS {@code retireAfter} (the longest token lifetime plus clock skew) after its successor started
 * signing, so every token it signed has expired by then. Pure: the same keys and instant give the same plan.
 *
 * @param every       null: no automatic rotation, only activations are announced
 * @param retireAfter how long a superseded key stays published; null with {@code every}
 */
public record RotationSchedule(Duration every, Duration prePublish, Duration retireAfter) {
    /** Tolerated clock difference between us and verifiers, added to the longest token lifetime. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    // The order of KeyRing: the active key of an algorithm is the first of its keys already active.
    private static final Comparator<KeyInfo> NEWEST_FIRST = Comparator.comparing(KeyInfo::activatesAt).reversed()
            .thenComparing(KeyInfo::kid);

    public static RotationSchedule manual() {
        return new RotationSchedule(null, null, null);
    }

    /** @param longestTokenTtl the longest lifetime of any token our keys sign (access, ID, ID-JAG, per client) */
    public static RotationSchedule automatic(Duration every, Duration prePublish, Duration longestTokenTtl) {
        return new RotationSchedule(every, prePublish, longestTokenTtl.plus(CLOCK_SKEW));
    }

    public boolean automatic() {
        return every != null;
    }

    /** A key to make now. */
    public record Generate(JWSAlgorithm algorithm, Instant activatesAt) { }

    /**
     * @param generate keys to make, at most one per algorithm
     * @param announce keys whose activation time has passed and that no one announced yet
     * @param retire   superseded keys every token of which has expired
     */
    public record Plan(List<Generate> generate, List<KeyInfo> announce, List<KeyInfo> retire) {
        public boolean isEmpty() {
            return generate.isEmpty() && announce.isEmpty() && retire.isEmpty();
        }
    }

    public Plan plan(List<KeyInfo> keys, Instant now) {
        List<KeyInfo> live = keys.stream().filter(k -> !k.retired()).sorted(NEWEST_FIRST).toList();
        List<Generate> generate = new ArrayList<>();
        List<KeyInfo> retire = new ArrayList<>();
        List<KeyInfo> announce = live.stream()
                .filter(k -> !k.activatesAt().isAfter(now) && k.activatedAt() == null)
                .sorted(Comparator.comparing(KeyInfo::activatesAt).thenComparing(KeyInfo::kid)).toList();
        if (automatic()) {
            for (JWSAlgorithm alg : algorithms(live)) {
                List<KeyInfo> ofAlg = live.stream().filter(k -> k.algorithm().equals(alg)).toList();
                List<KeyInfo> started = ofAlg.stream().filter(k -> !k.activatesAt().isAfter(now)).toList();
                if (started.isEmpty()) {
                    continue; // only pending keys: someone provisioned this algorithm by hand
                }
                KeyInfo active = started.get(0);
                boolean successorPublished = ofAlg.size() > started.size();
                Instant due = active.activatesAt().plus(every);
                if (!successorPublished && !now.isBefore(due.minus(prePublish))) {
                    Instant earliest = now.plus(prePublish);
                    generate.add(new Generate(alg, due.isBefore(earliest) ? earliest : due));
                }
                // started is newest first: each key stopped signing when the one before it in the list started.
                for (int i = 1; i < started.size(); i++) {
                    Instant stoppedSigning = started.get(i - 1).activatesAt();
                    if (!now.isBefore(stoppedSigning.plus(retireAfter))) {
                        retire.add(started.get(i));
                    }
                }
            }
        }
        return new Plan(List.copyOf(generate), announce, List.copyOf(retire));
    }

    /**
     * When the next key of {@code algorithm} starts signing, for operators (/metrics): the earliest published key
     * still waiting to sign, else the time {@link #plan} will give the successor it generates, {@code every} after
     * the active key started but never sooner than {@code prePublish} from now. Empty without automatic rotation
     * or without an active key of that algorithm.
     */
    public Optional<Instant> nextActivation(KeyRing ring, JWSAlgorithm algorithm, Instant now) {
        if (!automatic()) {
            return Optional.empty();
        }
        List<SigningKey> ofAlg = ring.published().stream().filter(k -> k.algorithm().equals(algorithm)).toList();
        Optional<Instant> pending = ofAlg.stream().map(SigningKey::activatesAt).filter(at -> at.isAfter(now))
                .min(Comparator.naturalOrder());
        if (pending.isPresent()) {
            return pending;
        }
        return ofAlg.stream().findFirst().map(active -> { // the ring lists newest first: the active key
            Instant due = active.activatesAt().plus(every);
            Instant earliest = now.plus(prePublish);
            return due.isBefore(earliest) ? earliest : due;
        });
    }

    private static Set<JWSAlgorithm> algorithms(List<KeyInfo> keys) {
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        keys.stream().map(KeyInfo::algorithm).sorted(Comparator.comparing(JWSAlgorithm::getName)).forEach(algorithms::add);
        return algorithms;
    }
}
