package dev.tessera.server.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one YAML mapping key by key. Every value of the wrong shape becomes a problem at its key path
 * (never an exception) and the caller gets the fallback, so one pass reports everything. The keys read
 * are the known keys: {@link #rejectUnknownKeys()} reports the rest.
 */
final class YamlMapping {
    private final JsonNode node;
    private final String path;
    private final Problems problems;
    private final EnvironmentExpansion expansion;
    private final Set<String> knownKeys = new LinkedHashSet<>();

    /** @param node an object node, or null for an absent section (every read then gives its fallback) */
    YamlMapping(JsonNode node, String path, Problems problems, EnvironmentExpansion expansion) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.expansion = expansion;
    }

    String path() {
        return path;
    }

    String string(String key) {
        return string(key, null);
    }

    String string(String key, String fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        String text = text(value, Problems.child(path, key));
        return text == null ? fallback : text;
    }

    boolean bool(String key, boolean fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        String keyPath = Problems.child(path, key);
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.isTextual() ? expanded(value.textValue(), keyPath) : null;
        if (text != null && (text.equals("true") || text.equals("false"))) {
            return Boolean.parseBoolean(text);
        }
        if (text != null || !value.isTextual()) {
            problems.add(keyPath, "must be true or false" + shapeHint(value));
        }
        return fallback;
    }

    int integer(String key, int fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        String keyPath = Problems.child(path, key);
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (value.isTextual()) {
            String text = expanded(value.textValue(), keyPath);
            if (text == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(text.strip());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        problems.add(keyPath, "must be a whole number" + shapeHint(value));
        return fallback;
    }

    /** @param fallback may be null (an optional override) */
    Duration duration(String key, Duration fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        String keyPath = Problems.child(path, key);
        if (!value.isTextual()) {
            problems.add(keyPath, "must be a duration with a unit, e.g. 60s, 15m or 30d" + shapeHint(value));
            return fallback;
        }
        String text = expanded(value.textValue(), keyPath);
        if (text == null) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(keyPath, e.getMessage());
            return fallback;
        }
    }

    Path filePath(String key, Path fallback) {
        String text = string(key);
        if (text == null) {
            return fallback;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            problems.add(Problems.child(path, key), "is not a valid file system path");
            return fallback;
        }
    }

    /**
     * A list of strings; the fallback when absent. A bad element is reported and kept as "" so that later
     * problems still point at the right index (the whole config is refused anyway).
     */
    List<String> strings(String key, List<String> fallback) {
        JsonNode value = value(key);
        if (value == null) {
            return fallback;
        }
        String keyPath = Problems.child(path, key);
        if (!value.isArray()) {
            problems.add(keyPath, "must be a list of strings" + shapeHint(value));
            return fallback;
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String text = text(value.get(i), Problems.element(keyPath, i));
            result.add(text == null ? "" : text);
        }
        return result;
    }

    /** A nested mapping; empty when the key is absent or null, or when it is not a mapping (reported). */
    Optional<YamlMapping> mapping(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return Optional.empty();
        }
        String keyPath = Problems.child(path, key);
        if (!value.isObject()) {
            problems.add(keyPath, "must be a mapping of keys to values" + shapeHint(value));
            return Optional.empty();
        }
        return Optional.of(new YamlMapping(value, keyPath, problems, expansion));
    }

    /**
     * A list of mappings. An element that is not a mapping is reported and read as an empty one, so the
     * records keep the YAML indices that later problems name.
     */
    List<YamlMapping> mappings(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return List.of();
        }
        String keyPath = Problems.child(path, key);
        if (!value.isArray()) {
            problems.add(keyPath, "must be a list" + shapeHint(value));
            return List.of();
        }
        List<YamlMapping> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String elementPath = Problems.element(keyPath, i);
            JsonNode element = value.get(i);
            if (element.isObject()) {
                result.add(new YamlMapping(element, elementPath, problems, expansion));
            } else {
                problems.add(elementPath, "must be a mapping of keys to values" + shapeHint(element));
                result.add(new YamlMapping(null, elementPath, problems, expansion));
            }
        }
        return result;
    }

    /** Free-form data (claims): strings, numbers, booleans, lists and mappings, with strings expanded. */
    Map<String, Object> freeForm(String key) {
        JsonNode value = value(key);
        if (value == null) {
            return Map.of();
        }
        String keyPath = Problems.child(path, key);
        if (!value.isObject()) {
            problems.add(keyPath, "must be a mapping of keys to values" + shapeHint(value));
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) plain(value, keyPath);
        return map;
    }

    /**
     * Free-form data of any shape (strings expanded), for a value the validator checks itself, such as
     * verified_claims (a mapping or a list of them); null when absent.
     */
    Object anyValue(String key) {
        JsonNode value = value(key);
        return value == null ? null : plainOrReport(value, Problems.child(path, key));
    }

    /** Reports every key of this mapping that no read asked for. Call after all reads. */
    void rejectUnknownKeys() {
        if (node == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!knownKeys.contains(entry.getKey())) {
                problems.add(Problems.child(path, entry.getKey()), "unknown key" + KeySuggestion.forKey(entry.getKey(), knownKeys));
            }
        }
    }

    private JsonNode value(String key) {
        knownKeys.add(key);
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(key);
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }

    private String text(JsonNode value, String keyPath) {
        if (value == null || value.isNull()) {
            problems.add(keyPath, "must not be empty");
            return null;
        }
        if (!value.isTextual()) {
            problems.add(keyPath, "must be a string" + shapeHint(value));
            return null;
        }
        return expanded(value.textValue(), keyPath);
    }

    private String expanded(String raw, String keyPath) {
        EnvironmentExpansion.Result result = expansion.expand(raw);
        result.problems().forEach(problem -> problems.add(keyPath, problem));
        return result.value();
    }

    private Object plain(JsonNode value, String keyPath) {
        if (value.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : value.properties()) {
                Object converted = plainOrReport(entry.getValue(), Problems.child(keyPath, entry.getKey()));
                if (converted != null) {
                    map.put(entry.getKey(), converted);
                }
            }
            return Collections.unmodifiableMap(map);
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                Object converted = plainOrReport(value.get(i), Problems.element(keyPath, i));
                if (converted != null) {
                    list.add(converted);
                }
            }
            return Collections.unmodifiableList(list);
        }
        if (value.isTextual()) {
            return expanded(value.textValue(), keyPath);
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.numberValue();
        }
        problems.add(keyPath, "must be a string, number, boolean, list or mapping");
        return null;
    }

    private Object plainOrReport(JsonNode value, String keyPath) {
        if (value == null || value.isNull()) {
            // JSON null has no meaning in a claim here, and immutable maps cannot hold it.
            problems.add(keyPath, "must not be null; leave the key out instead");
            return null;
        }
        return plain(value, keyPath);
    }

    private static String shapeHint(JsonNode value) {
        if (value.isArray()) {
            return ", not a list";
        }
        if (value.isObject()) {
            return ", not a mapping";
        }
        if (value.isNumber() || value.isBoolean()) {
            return ", not a " + (value.isNumber() ? "number" : "boolean") + " (quote the value if it is text)";
        }
        return "";
    }
}
