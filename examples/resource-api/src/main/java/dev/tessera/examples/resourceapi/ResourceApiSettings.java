package dev.tessera.examples.resourceapi;

import dev.tessera.resourceserver.TokenValidator;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What the example API needs to know, read from environment variables; a system property with the same
 * name in lower case and with dots for underscores wins ({@code API_PORT} → {@code -Dapi.port}).
 * Every default targets {@code ./tessera serve --dev}.
 *
 * @param introspection how to introspect opaque tokens, or null to verify JWTs offline against the JWKS
 */
public record ResourceApiSettings(
        URI issuer,
        String host,
        int port,
        List<String> audiences,
        Set<String> requiredScopes,
        Introspection introspection) {

    public static final String ISSUER = "TESSERA_ISSUER";
    public static final String HOST = "API_HOST";
    public static final String PORT = "API_PORT";
    public static final String AUDIENCE = "API_AUDIENCE";
    public static final String SCOPE = "API_SCOPE";
    public static final String INTROSPECTION = "TESSERA_INTROSPECTION";
    public static final String CLIENT_ID = "TESSERA_CLIENT_ID";
    public static final String CLIENT_SECRET = "TESSERA_CLIENT_SECRET";
    public static final String INTROSPECTION_ENDPOINT = "TESSERA_INTROSPECTION_ENDPOINT";
    public static final String INTROSPECTION_CACHE_SECONDS = "TESSERA_INTROSPECTION_CACHE_SECONDS";

    static final String DEFAULT_ISSUER = "http://127.0.0.1:8080";
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 9090;
    // Tessera's aud for a client_credentials token is the client's id unless the client sets `audience`.
    static final String DEFAULT_AUDIENCE = "demo-app";
    static final String DEFAULT_SCOPE = "api.read";
    static final String DEFAULT_CLIENT_ID = "demo-app";
    static final long DEFAULT_INTROSPECTION_CACHE_SECONDS = 30;

    /** Introspection (RFC 7662) as this API's own client; {@code cacheTtl} bounds how long a revoked token still passes. */
    public record Introspection(URI endpoint, String clientId, String clientSecret, Duration cacheTtl) {
        @Override
        public String toString() {
            return "Introspection[endpoint=" + endpoint + ", clientId=" + clientId + ", clientSecret=***, cacheTtl=" + cacheTtl + "]";
        }
    }

    public ResourceApiSettings {
        audiences = List.copyOf(audiences);
        requiredScopes = Set.copyOf(requiredScopes);
    }

    /** Environment variables, overridden by system properties. */
    public static ResourceApiSettings fromEnvironment() {
        return from(name -> System.getProperty(propertyName(name), System.getenv(name)));
    }

    /** @param lookup the raw value of a setting by its environment variable name, or null when unset */
    public static ResourceApiSettings from(Function<String, String> lookup) {
        Function<String, String> value = name -> {
            String raw = lookup.apply(name);
            return raw == null || raw.isBlank() ? null : raw.strip();
        };
        String issuer = orDefault(value.apply(ISSUER), DEFAULT_ISSUER);
        URI issuerUri = absoluteHttpUri(issuer, ISSUER);
        List<String> audiences = words(orDefault(value.apply(AUDIENCE), DEFAULT_AUDIENCE), "[,\\s]+", AUDIENCE);
        Set<String> scopes = new LinkedHashSet<>(words(orDefault(value.apply(SCOPE), DEFAULT_SCOPE), "\\s+", SCOPE));
        Introspection introspection = null;
        if (flag(value.apply(INTROSPECTION), INTROSPECTION)) {
            String secret = value.apply(CLIENT_SECRET);
            if (secret == null) {
                throw new IllegalArgumentException(CLIENT_SECRET + " is required when " + INTROSPECTION + "=true");
            }
            String endpoint = orDefault(value.apply(INTROSPECTION_ENDPOINT), stripTrailingSlash(issuer) + "/introspect");
            long cacheSeconds = number(value.apply(INTROSPECTION_CACHE_SECONDS), DEFAULT_INTROSPECTION_CACHE_SECONDS,
                    0, 3600, INTROSPECTION_CACHE_SECONDS);
            introspection = new Introspection(absoluteHttpUri(endpoint, INTROSPECTION_ENDPOINT),
                    orDefault(value.apply(CLIENT_ID), DEFAULT_CLIENT_ID), secret, Duration.ofSeconds(cacheSeconds));
        }
        int port = (int) number(value.apply(PORT), DEFAULT_PORT, 0, 65535, PORT);
        return new ResourceApiSettings(issuerUri, orDefault(value.apply(HOST), DEFAULT_HOST), port, audiences, scopes,
                introspection);
    }

    /** {@code API_PORT} → {@code api.port}. */
    static String propertyName(String environmentVariable) {
        return environmentVariable.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    /** A validator for these settings; nothing is fetched before the first token arrives. */
    public TokenValidator newValidator() {
        String[] accepted = audiences.toArray(String[]::new);
        if (introspection != null) {
            return TokenValidator.introspecting(introspection.endpoint(), introspection.clientId(), introspection.clientSecret())
                    .issuer(issuer.toString())
                    .audience(accepted)
                    .introspectionCacheTtl(introspection.cacheTtl())
                    .build();
        }
        return TokenValidator.forIssuer(issuer).audience(accepted).build();
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private static List<String> words(String value, String separators, String name) {
        List<String> words = Arrays.stream(value.split(separators)).filter(w -> !w.isEmpty()).distinct().toList();
        if (words.isEmpty()) {
            throw new IllegalArgumentException(name + " must name at least one value");
        }
        return words;
    }

    private static boolean flag(String value, String name) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new IllegalArgumentException(name + " must be true or false");
    }

    private static long number(String value, long fallback, long min, long max, String name) {
        if (value == null) {
            return fallback;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
    }

    private static URI absoluteHttpUri(String value, String name) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (java.net.URISyntaxException notUri) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be an absolute http(s) URL");
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
