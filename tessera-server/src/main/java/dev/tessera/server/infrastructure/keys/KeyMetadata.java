package dev.tessera.server.infrastructure.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tessera.server.application.keys.SigningKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a PEM file cannot say: the algorithm a key signs with and when it starts signing. Kept in a sidecar
 * {@code <name>.json} next to {@code <name>.pem}, e.g. {@code {"alg":"PS256","activatesAt":"2025-06-01T00:00:00Z"}}.
 * Both members are optional: without them an RSA key signs RS256, an EC key ES256, and a key activates at its
 * file's last-modified time (whole seconds), which every instance sharing the directory reads alike.
 * Unknown members are refused, so a typo such as {@code activateAt} cannot silently activate a key now.
 *
 * @param algorithm   null = the default for the key type
 * @param activatesAt null = the PEM file's last-modified time
 * @param createdAt   informational only
 */
public record KeyMetadata(JWSAlgorithm algorithm, Instant activatesAt, Instant createdAt) {
    private static final Set<String> MEMBERS = Set.of("alg", "activatesAt", "createdAt");

    /** The sidecar path of a key file: same name, extension {@code .json}. */
    public static Path sidecarOf(Path keyFile) {
        String name = keyFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return keyFile.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".json");
    }

    /** The sidecar's content, or empty metadata when there is none. */
    static KeyMetadata readFor(Path keyFile) {
        Path sidecar = sidecarOf(keyFile);
        if (!Files.isRegularFile(sidecar)) {
            return new KeyMetadata(null, null, null);
        }
        Map<String, Object> json;
        try {
            json = JSONObjectUtils.parse(Files.readString(sidecar, StandardCharsets.UTF_8));
        } catch (IOException | ParseException e) {
            throw new KeyFileException(sidecar + " is not a JSON object like {\"alg\":\"RS256\",\"activatesAt\":\"2025-06-01T00:00:00Z\"}");
        }
        for (String member : json.keySet()) {
            if (!MEMBERS.contains(member)) {
                throw new KeyFileException(sidecar + " has an unknown member '" + member + "'; allowed: alg, activatesAt, createdAt");
            }
        }
        JWSAlgorithm alg = json.containsKey("alg") ? parseAlgorithm(text(sidecar, json, "alg"), sidecar + ": alg") : null;
        return new KeyMetadata(alg, instant(sidecar, json, "activatesAt"), instant(sidecar, json, "createdAt"));
    }

    /** Parses RS256, PS256 or ES256 (any case); everything else, above all none and HMAC, is refused. */
    public static JWSAlgorithm parseAlgorithm(String value, String where) {
        JWSAlgorithm alg = JWSAlgorithm.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
        if (!SigningKey.SUPPORTED_ALGORITHMS.contains(alg)) {
            throw new KeyFileException(where + " must be RS256, PS256 or ES256, not '" + value + "'");
        }
        return alg;
    }

    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (algorithm != null) {
            json.put("alg", algorithm.getName());
        }
        if (activatesAt != null) {
            json.put("activatesAt", activatesAt.toString());
        }
        if (createdAt != null) {
            json.put("createdAt", createdAt.toString());
        }
        return JSONObjectUtils.toJSONString(json) + "\n";
    }

    private static String text(Path sidecar, Map<String, Object> json, String member) {
        if (json.get(member) instanceof String s) {
            return s;
        }
        throw new KeyFileException(sidecar + ": " + member + " must be a string");
    }

    private static Instant instant(Path sidecar, Map<String, Object> json, String member) {
        if (!json.containsKey(member)) {
            return null;
        }
        String value = text(sidecar, json, member);
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new KeyFileException(sidecar + ": " + member + " must be an ISO-8601 instant such as 2025-06-01T00:00:00Z, not '" + value + "'");
        }
    }
}
