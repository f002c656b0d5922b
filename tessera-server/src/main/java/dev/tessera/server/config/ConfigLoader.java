package dev.tessera.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code tessera.yaml} into a {@link TesseraConfig}: YAML to a tree, {@code ${VAR}} expansion of scalar
 * values, hand mapping that refuses unknown keys, then {@link ConfigValidator}. Every problem of every phase
 * is collected into one {@link ConfigException}.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            // A repeated key would otherwise silently win over the first one.
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigLoader() {
    }

    /**
     * @param env the environment for {@code ${VAR}} expansion, usually {@code System.getenv()}
     * @throws ConfigException listing every problem
     */
    public static TesseraConfig load(Path file, Map<String, String> env) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(file + ": file not found"));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot be read (" + e.getClass().getSimpleName() + ")"));
        }
        return parse(yaml, env);
    }

    /** @throws ConfigException listing every problem */
    public static TesseraConfig parse(String yaml, Map<String, String> env) {
        JsonNode root = readTree(yaml);
        Problems problems = new Problems();
        if (root != null && !root.isObject()) {
            throw new ConfigException(List.of("(root): must be a mapping of keys to values"));
        }
        TesseraConfig config = new ConfigTreeMapper(problems, new EnvironmentExpansion(env)).map(root);

        List<String> all = new ArrayList<>(problems.lines());
        for (String semantic : ConfigValidator.validate(config)) {
            // A value already refused (wrong type, missing variable) was replaced by its default; checking
            // that stand-in again would only add noise.
            if (!problems.covers(Problems.pathOf(semantic)) && !all.contains(semantic)) {
                all.add(semantic);
            }
        }
        if (!all.isEmpty()) {
            throw new ConfigException(all);
        }
        return config;
    }

    private static JsonNode readTree(String yaml) {
        try {
            JsonNode root = YAML.readTree(yaml);
            return root == null || root.isMissingNode() || root.isNull() ? null : root;
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(syntaxProblem(e)));
        }
    }

    // Only the first line of the parser's message and the location: the following lines quote the source,
    // which may hold a secret.
    private static String syntaxProblem(JsonProcessingException e) {
        String reason = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        JsonLocation location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return "(yaml): not valid YAML" + where + (reason.isBlank() ? "" : ": " + reason.strip());
    }
}
