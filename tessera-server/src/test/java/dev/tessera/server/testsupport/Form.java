package dev.tessera.server.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An application/x-www-form-urlencoded body that keeps the order of its fields and may repeat a name, as
 * RFC 8693 {@code audience} and RFC 8707 {@code resource} may be repeated; a Map cannot say that.
 */
public final class Form {
    private final List<Map.Entry<String, String>> fields = new ArrayList<>();

    /** @param namesAndValues name, value, name, value, ... */
    public static Form of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values come in pairs");
        }
        Form form = new Form();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            form.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return form;
    }

    /** Adds a field, keeping any earlier one of the same name. */
    public Form add(String name, String value) {
        fields.add(Map.entry(name, value));
        return this;
    }

    /** Replaces every field of that name with this one value. */
    public Form set(String name, String value) {
        return remove(name).add(name, value);
    }

    public Form remove(String name) {
        fields.removeIf(field -> field.getKey().equals(name));
        return this;
    }

    public Form copy() {
        Form copy = new Form();
        copy.fields.addAll(fields);
        return copy;
    }

    public String encode() {
        return fields.stream()
                .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public String toString() {
        return encode();
    }
}
