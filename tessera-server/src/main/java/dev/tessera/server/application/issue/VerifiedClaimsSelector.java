package dev.tessera.server.application.issue;

import dev.tessera.server.domain.claims.VerifiedClaimsRequest;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Picks what of a user's verified claims a {@code verified_claims} request gets (OpenID Connect for Identity
 * Assurance 1.0 §6): only the claims it names, only the verification elements it names (the trust framework
 * always, as the response requires it), only evidence matching a requested evidence element. {@code null}
 * means "this, if you have it"; {@code value}/{@code values} and {@code max_age} are constraints: a verified
 * claims object whose verification fails one is not released at all, evidence that fails one is left out,
 * and a claim that fails one is left out. A user may hold several verified claims objects; each request is
 * matched against each of them.
 */
public final class VerifiedClaimsSelector {
    private final Clock clock;

    public VerifiedClaimsSelector(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param held the user's {@code verified_claims}: one object or an array of them (checked at startup)
     * @param mayRelease whether a claim inside verified_claims may go out (the user's consent, the client's cap)
     * @return one object, or an array when several of the user's objects answer; empty when nothing does
     */
    public Optional<Object> select(Object held, List<VerifiedClaimsRequest> requests, Predicate<String> mayRelease) {
        List<Map<?, ?>> objects = objects(held);
        Map<Integer, Map<String, Object>> answers = new LinkedHashMap<>();
        for (VerifiedClaimsRequest request : requests) {
            for (int i = 0; i < objects.size(); i++) {
                Optional<Map<String, Object>> answer = answer(objects.get(i), request, mayRelease);
                if (answer.isPresent()) {
                    int index = i;
                    answers.merge(index, answer.get(), VerifiedClaimsSelector::mergeMaps);
                }
            }
        }
        if (answers.isEmpty()) {
            return Optional.empty();
        }
        // Keep the user's order so the same request always gives the same answer.
        List<Object> ordered = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            if (answers.containsKey(i)) {
                ordered.add(answers.get(i));
            }
        }
        return Optional.of(ordered.size() == 1 ? ordered.get(0) : Collections.unmodifiableList(ordered));
    }

    private Optional<Map<String, Object>> answer(Map<?, ?> object, VerifiedClaimsRequest request,
                                                 Predicate<String> mayRelease) {
        Map<?, ?> verification = object.get("verification") instanceof Map<?, ?> map ? map : Map.of();
        // verification is always a tree of elements: {} (or none) asks for the trust framework only
        Selection selected = request.verification().isEmpty() ? ABSENT : tree(verification, request.verification());
        if (selected instanceof Selection.Mismatch) {
            return Optional.empty();
        }
        Map<String, Object> verificationOut = new LinkedHashMap<>();
        verificationOut.put("trust_framework", verification.get("trust_framework")); // required in responses
        if (selected instanceof Selection.Present present && present.value() instanceof Map<?, ?> elements) {
            elements.forEach((key, value) -> verificationOut.put(String.valueOf(key), value));
        }
        Map<?, ?> held = object.get("claims") instanceof Map<?, ?> map ? map : Map.of();
        Map<String, Object> claimsOut = new LinkedHashMap<>();
        for (Map.Entry<String, Object> wanted : request.claims().entrySet()) {
            if (!mayRelease.test(wanted.getKey())) {
                continue;
            }
            // A claim that fails its own constraint is left out; the others still go.
            if (select(held.get(wanted.getKey()), wanted.getValue()) instanceof Selection.Present present) {
                claimsOut.put(wanted.getKey(), present.value());
            }
        }
        if (claimsOut.isEmpty()) {
            return Optional.empty(); // OIDC4IDA: no verified_claims element without claims in it
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("verification", verificationOut);
        out.put("claims", claimsOut);
        return Optional.of(out);
    }

    /** What the held value gives for one request element. */
    private sealed interface Selection {
        record Present(Object value) implements Selection { }

        record Absent() implements Selection { }

        record Mismatch() implements Selection { }
    }

    private static final Selection ABSENT = new Selection.Absent();
    private static final Selection MISMATCH = new Selection.Mismatch();

    private Selection select(Object held, Object requested) {
        if (requested instanceof Map<?, ?> request && VerifiedClaimsRequest.isLeaf(request)) {
            return leaf(held, request);
        }
        if (held == null) {
            return ABSENT;
        }
        if (requested == null) {
            return new Selection.Present(held);
        }
        if (requested instanceof Map<?, ?> tree) {
            return tree(held, tree);
        }
        if (requested instanceof List<?> templates) {
            return list(held, templates);
        }
        return ABSENT;
    }

    // An element with constraints: value/values must match, and a time must be younger than max_age.
    private Selection leaf(Object held, Map<?, ?> request) {
        List<Object> wanted = new ArrayList<>();
        if (request.get("value") != null) {
            wanted.add(request.get("value"));
        }
        if (request.get("values") instanceof List<?> values) {
            wanted.addAll(values);
        }
        Object maxAge = request.get("max_age");
        if (held == null) {
            return wanted.isEmpty() && maxAge == null ? ABSENT : MISMATCH; // a constraint nobody can meet
        }
        if (!wanted.isEmpty() && wanted.stream().noneMatch(value -> sameJson(held, value))) {
            return MISMATCH;
        }
        if (maxAge instanceof Number seconds && !youngerThan(held, seconds.longValue())) {
            return MISMATCH;
        }
        return new Selection.Present(held);
    }

    // Sub-elements: a failed constraint anywhere inside fails the whole element.
    private Selection tree(Object held, Map<?, ?> tree) {
        if (!(held instanceof Map<?, ?> elements)) {
            return ABSENT;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> wanted : tree.entrySet()) {
            Selection child = select(elements.get(wanted.getKey()), wanted.getValue());
            if (child instanceof Selection.Mismatch) {
                return MISMATCH;
            }
            if (child instanceof Selection.Present present) {
                out.put(String.valueOf(wanted.getKey()), present.value());
            }
        }
        return out.isEmpty() ? ABSENT : new Selection.Present(out);
    }

    // Evidence: each held item goes out shaped by the first requested item it satisfies.
    private Selection list(Object held, List<?> templates) {
        if (!(held instanceof List<?> items)) {
            return ABSENT;
        }
        List<Object> out = new ArrayList<>();
        for (Object item : items) {
            for (Object template : templates) {
                if (select(item, template) instanceof Selection.Present present) {
                    out.add(present.value());
                    break;
                }
            }
        }
        return out.isEmpty() ? ABSENT : new Selection.Present(Collections.unmodifiableList(out));
    }

    private boolean youngerThan(Object time, long maxAgeSeconds) {
        Instant at;
        try {
            String text = String.valueOf(time);
            at = text.contains("T") ? OffsetDateTime.parse(text).toInstant()
                    : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            return false; // a time we cannot read cannot be shown to be recent
        }
        return !at.plusSeconds(maxAgeSeconds).isBefore(clock.instant());
    }

    // JSON equality: 3 from YAML (Integer) equals 3 from a request (Long).
    private static boolean sameJson(Object held, Object wanted) {
        if (held instanceof Number a && wanted instanceof Number b) {
            return new BigDecimal(a.toString()).compareTo(new BigDecimal(b.toString())) == 0;
        }
        return Objects.equals(held, wanted);
    }

    private static List<Map<?, ?>> objects(Object held) {
        List<Map<?, ?>> objects = new ArrayList<>();
        if (held instanceof Map<?, ?> one && !one.isEmpty()) {
            objects.add(one);
        } else if (held instanceof List<?> many) {
            many.stream().filter(Map.class::isInstance).forEach(item -> objects.add((Map<?, ?>) item));
        }
        return objects;
    }

    // Two requests answered by the same held object give one answer with both selections.
    @SuppressWarnings("unchecked")
    private static Map<String, Object> mergeMaps(Map<String, Object> first, Map<String, Object> second) {
        Map<String, Object> merged = new LinkedHashMap<>(first);
        second.forEach((key, value) -> merged.merge(key, value, (a, b) -> {
            if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
                return mergeMaps((Map<String, Object>) left, (Map<String, Object>) right);
            }
            if (a instanceof List<?> left && b instanceof List<?> right) {
                List<Object> union = new ArrayList<>(left);
                right.stream().filter(item -> !union.contains(item)).forEach(union::add);
                return Collections.unmodifiableList(union);
            }
            return a;
        }));
        return merged;
    }
}
