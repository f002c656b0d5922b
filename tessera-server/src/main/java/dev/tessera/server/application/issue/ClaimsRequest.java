package dev.tessera.server.application.issue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tessera.server.domain.error.OAuthException;

import java.text.ParseException;
import java.util.Map;
import java.util.Set;

/** The OIDC Core §5.5 {@code claims} request parameter: individual claims asked for the ID token or userinfo. */
public final class ClaimsRequest {
    public enum Target { ID_TOKEN, USERINFO }

    private static final ClaimsRequest NONE = new ClaimsRequest(Map.of());
    private final Map<String, Object> json;

    private ClaimsRequest(Map<String, Object> json) {
        this.json = json;
    }

    public static ClaimsRequest none() {
        return NONE;
    }

    /** Parses the parameter; null gives the empty request. Malformed JSON is invalid_request. */
    public static ClaimsRequest parse(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return NONE;
        }
        try {
            Map<String, Object> parsed = JSONObjectUtils.parse(parameter);
            for (String member : new String[] {"id_token", "userinfo"}) {
                Object value = parsed.get(member);
                if (value != null && !(value instanceof Map)) {
                    throw OAuthException.invalidRequest("the claims parameter member " + member + " must be a JSON object");
                }
            }
            return new ClaimsRequest(parsed);
        } catch (ParseException e) {
            throw OAuthException.invalidRequest("the claims parameter is not valid JSON");
        }
    }

    public Set<String> names(Target target) {
        return section(target).keySet();
    }

    /** The request for verified_claims (OIDC4IDA) at this target, or null. */
    public Object verifiedClaims(Target target) {
        return section(target).get("verified_claims");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(Target target) {
        Object value = json.get(target == Target.ID_TOKEN ? "id_token" : "userinfo");
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }
}
