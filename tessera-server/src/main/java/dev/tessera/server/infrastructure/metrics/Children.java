package dev.tessera.server.infrastructure.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The children of one meter family, by label value, each made (and registered) once. After the first use a lookup is
 * one lock-free map read with no allocation, instead of Micrometer's builder, tag list and registry lookup per event.
 * Label values come from our own code (routes, grant types, error codes, results), so the map stays small.
 */
final class Children<M> {
    /** Stands in for a missing label value (the map takes no null keys). */
    static final String NONE = "none";

    private final ConcurrentHashMap<String, M> byValue = new ConcurrentHashMap<>();
    private final Function<String, M> create;

    Children(Function<String, M> create) {
        this.create = create;
    }

    /** Children by two label values: one map per first value. */
    static <M> Two<M> two(BiFunction<String, String, M> create) {
        return new Two<>(new Children<>(first -> new Children<>(second -> create.apply(first, second))));
    }

    M get(String value) {
        String key = value == null ? NONE : value;
        M meter = byValue.get(key);
        return meter != null ? meter : byValue.computeIfAbsent(key, create);
    }

    record Two<M>(Children<Children<M>> byFirst) {
        M get(String first, String second) {
            return byFirst.get(first).get(second);
        }
    }
}
