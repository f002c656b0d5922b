package dev.tessera.server.http.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The authorization request as it travels through the login and consent forms: the original parameters,
 * urlencoded into one hidden field. It carries nothing the user could not already change in the URL, and
 * it is validated again on every step.
 */
public final class RequestHandle {
    private RequestHandle() {
    }

    public static String encode(Map<String, List<String>> parameters) {
        StringBuilder encoded = new StringBuilder();
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            for (String value : parameter.getValue()) {
                if (encoded.length() > 0) {
                    encoded.append('&');
                }
                encoded.append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return encoded.toString();
    }

    public static Map<String, List<String>> decode(String handle) {
        return FormBody.parse(handle);
    }
}
