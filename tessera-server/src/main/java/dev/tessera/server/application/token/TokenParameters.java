package dev.tessera.server.application.token;

import dev.tessera.server.domain.error.OAuthException;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The form fields of one token request, already narrowed to what the grant declared (ARCHITECTURE §2.4). */
public final class TokenParameters {
    private final Map<String, List<String>> values;

    public TokenParameters(Map<String, List<String>> values) {
        this.values = Map.copyOf(values.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> List.copyOf(e.getValue()))));
    }

    /** The value of a field that may appear once, or null when absent or empty. */
    public String single(String name) {
        List<String> found = values.get(name);
        if (found == null || found.isEmpty() || found.get(0).isEmpty()) {
            return null;
        }
        return found.get(0);
    }

    public String required(String name) {
        String value = single(name);
        if (value == null) {
            throw OAuthException.invalidRequest("the " + name + " parameter is required");
        }
        return value;
    }

    public List<String> all(String name) {
        return values.getOrDefault(name, List.of()).stream().filter(v -> !v.isEmpty()).toList();
    }

    public Set<String> names() {
        return values.keySet();
    }

    public TokenParameters narrowedTo(Set<String> allowed) {
        return new TokenParameters(values.entrySet().stream()
                .filter(e -> allowed.contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
