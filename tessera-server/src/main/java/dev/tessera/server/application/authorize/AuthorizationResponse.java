package dev.tessera.server.application.authorize;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response to the client's redirect URI: a code or an error, always with {@code iss} (RFC 9207) and the state. */
public record AuthorizationResponse(String redirectUri, ResponseMode mode, Map<String, String> parameters) {
    public AuthorizationResponse {
        parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The redirect location for {@link ResponseMode#QUERY}; existing query parameters of the URI are kept. */
    public String location() {
        StringBuilder location = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            location.append(separator)
                    .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return location.toString();
    }

    public boolean isError() {
        return parameters.containsKey("error");
    }
}
