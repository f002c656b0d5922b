package dev.tessera.server.application.discovery;

import dev.tessera.server.application.port.StoreUnavailableException;
import dev.tessera.server.application.port.UserStore;
import dev.tessera.server.domain.user.User;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the users' verified claims offer relying parties (OIDC4IDA discovery metadata): the trust frameworks,
 * evidence types, document types and claim names that some user actually carries. Reading every user is
 * not a per-request job, so the answer is kept and read again at most once per {@link #MAX_AGE}.
 */
public final class VerifiedClaimsCatalog {
    static final Duration MAX_AGE = Duration.ofMinutes(1);

    private final UserStore users;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public VerifiedClaimsCatalog(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /** Sorted sets of what is on offer; all empty when no user has verified claims. */
    public record Offer(Set<String> trustFrameworks, Set<String> evidenceTypes, Set<String> documentTypes,
                        Set<String> claims) {
        public boolean supported() {
            return !trustFrameworks.isEmpty();
        }
    }

    private record Snapshot(Offer offer, Instant readAt) { }

    public Offer current() {
        Instant now = clock.instant();
        Snapshot current = snapshot;
        if (current == null || !now.isBefore(current.readAt().plus(MAX_AGE))) {
            synchronized (this) {
                current = snapshot;
                if (current == null || !now.isBefore(current.readAt().plus(MAX_AGE))) {
                    current = new Snapshot(readOr(current), now);
                    snapshot = current;
                }
            }
        }
        return current.offer();
    }

    // Discovery keeps answering through a database outage: the last offer read stays good until the next read works.
    private Offer readOr(Snapshot previous) {
        try {
            return read();
        } catch (StoreUnavailableException e) {
            if (previous == null) {
                throw e;
            }
            return previous.offer();
        }
    }

    private Offer read() {
        Set<String> frameworks = new TreeSet<>();
        Set<String> evidence = new TreeSet<>();
        Set<String> documents = new TreeSet<>();
        Set<String> claims = new TreeSet<>();
        for (User user : users.list()) {
            if (!user.enabled() || !user.hasVerifiedClaims()) {
                continue;
            }
            for (Map<?, ?> object : objects(user.verifiedClaims())) {
                if (object.get("verification") instanceof Map<?, ?> verification) {
                    if (verification.get("trust_framework") instanceof String framework) {
                        frameworks.add(framework);
                    }
                    if (verification.get("evidence") instanceof List<?> items) {
                        for (Object item : items) {
                            collectEvidence(item, evidence, documents);
                        }
                    }
                }
                if (object.get("claims") instanceof Map<?, ?> held) {
                    held.keySet().forEach(name -> claims.add(String.valueOf(name)));
                }
            }
        }
        return new Offer(Collections.unmodifiableSet(frameworks), Collections.unmodifiableSet(evidence),
                Collections.unmodifiableSet(documents), Collections.unmodifiableSet(claims));
    }

    // OIDC4IDA final names the document in document_details.type; earlier drafts in document.type.
    private static void collectEvidence(Object item, Set<String> evidence, Set<String> documents) {
        if (!(item instanceof Map<?, ?> map) || !(map.get("type") instanceof String type)) {
            return;
        }
        evidence.add(type);
        for (String member : List.of("document_details", "document")) {
            if (map.get(member) instanceof Map<?, ?> details && details.get("type") instanceof String document) {
                documents.add(document);
            }
        }
    }

    private static List<Map<?, ?>> objects(Object verifiedClaims) {
        if (verifiedClaims instanceof Map<?, ?> one) {
            return List.of(one);
        }
        if (verifiedClaims instanceof List<?> many) {
            return many.stream().filter(Map.class::isInstance).<Map<?, ?>>map(item -> (Map<?, ?>) item).toList();
        }
        return List.of();
    }
}
