package dev.tessera.server.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.Base64;
import java.util.Map;

/**
 * The JOSE header and the payload of a compact JWS as plain JSON, read without any JOSE library: what a
 * client of any language sees, e.g. whether {@code aud} is a string or an array.
 */
public final class JwtParts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JwtParts() {
    }

    public static Map<String, Object> header(String jws) {
        return part(jws, 0);
    }

    public static Map<String, Object> payload(String jws) {
        return part(jws, 1);
    }

    /** {@code jws} with its payload replaced by {@code payloadJson}, keeping header and signature. */
    public static String withPayload(String jws, String payloadJson) {
        String[] parts = jws.split("\\.", -1);
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payloadJson.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    }

    public static String json(Map<String, Object> value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> part(String jws, int index) {
        String[] parts = jws.split("\\.", -1);
        if (parts.length != 3) {
            throw new AssertionError("not a compact JWS: " + parts.length + " parts");
        }
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(parts[index]), new TypeReference<Map<String, Object>>() { });
        } catch (IOException | IllegalArgumentException e) {
            throw new AssertionError("JWS part " + index + " is not a base64url JSON object", e);
        }
    }
}
