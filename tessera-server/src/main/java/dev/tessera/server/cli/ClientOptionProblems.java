package dev.tessera.server.cli;

import dev.tessera.server.config.ClientConfig;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts {@code clients add}'s option names on the problems that {@code ConfigValidator} reports for a client
 * ({@code redirectUris[1]: must use https...} becomes {@code --redirect-uri http://x/cb: must use https...}),
 * so the message is the config file's and the user sees which argument to change.
 */
final class ClientOptionProblems {
    private static final Pattern PATH = Pattern.compile("([A-Za-z]+)(?:\\[(\\d+)])?(.*)");
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("id", "ID"), Map.entry("name", "--name"), Map.entry("public", "--public"),
            Map.entry("redirectUris", "--redirect-uri"), Map.entry("grantTypes", "--grant"),
            Map.entry("scopes", "--scope"), Map.entry("tokenEndpointAuthMethod", "--auth-method"),
            Map.entry("consent", "--skip-consent"), Map.entry("jwksUri", "--jwks-uri"),
            Map.entry("sectorIdentifierUri", "--sector-identifier-uri"));

    private ClientOptionProblems() {
    }

    /** @param problem one line of {@code ConfigValidator.clientProblems}: {@code key.path: message} */
    static String describe(String problem, ClientConfig client) {
        int colon = problem.indexOf(": ");
        if (colon < 0) {
            return problem;
        }
        Matcher path = PATH.matcher(problem.substring(0, colon));
        String message = problem.substring(colon + 2);
        if (!path.matches() || !OPTIONS.containsKey(path.group(1)) || !path.group(3).isEmpty()) {
            return problem;
        }
        String option = OPTIONS.get(path.group(1));
        if (path.group(2) == null) {
            return option + ": " + message;
        }
        List<String> values = valuesOf(path.group(1), client);
        int index = Integer.parseInt(path.group(2));
        // The user typed these values on the command line: repeating them names the culprit, and none is secret.
        return index < values.size() ? option + " " + values.get(index) + ": " + message : option + ": " + message;
    }

    private static List<String> valuesOf(String key, ClientConfig client) {
        return switch (key) {
            case "redirectUris" -> client.redirectUris();
            case "grantTypes" -> client.grantTypes();
            case "scopes" -> client.scopes();
            default -> List.of();
        };
    }
}
