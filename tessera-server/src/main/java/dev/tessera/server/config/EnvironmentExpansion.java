package dev.tessera.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} in one scalar value; {@code $${} stands for a literal
 * {@code ${}. Runs after YAML parsing, so a variable's value can never add keys or structure, and the result
 * is not expanded again. As in the shell, {@code :-} also applies when the variable is set but empty.
 */
final class EnvironmentExpansion {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;

    EnvironmentExpansion(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The expanded value, or the problems found (each naming a variable, never a value). */
    Result expand(String raw) {
        if (!raw.contains("${")) {
            return new Result(raw, List.of());
        }
        StringBuilder out = new StringBuilder(raw.length());
        List<String> problems = new ArrayList<>();
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (raw.startsWith("${", i)) {
                int end = raw.indexOf('}', i + 2);
                if (end < 0) {
                    problems.add("has a ${ without its closing }");
                    break;
                }
                String reference = raw.substring(i + 2, end);
                int separator = reference.indexOf(":-");
                String name = separator < 0 ? reference : reference.substring(0, separator);
                String fallback = separator < 0 ? null : reference.substring(separator + 2);
                if (!NAME.matcher(name).matches()) {
                    problems.add("has an invalid variable reference; write ${NAME} or ${NAME:-default}");
                } else {
                    String value = environment.get(name);
                    if (value != null && !(value.isEmpty() && fallback != null)) {
                        out.append(value);
                    } else if (fallback != null) {
                        out.append(fallback);
                    } else {
                        problems.add("environment variable " + name + " is not set");
                    }
                }
                i = end + 1;
            } else {
                out.append(raw.charAt(i));
                i++;
            }
        }
        return new Result(problems.isEmpty() ? out.toString() : null, List.copyOf(problems));
    }

    /** @param value null when there are problems */
    record Result(String value, List<String> problems) {
    }
}
