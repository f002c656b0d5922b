package dev.tessera.server.application.issue;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tessera.server.domain.claims.ClaimsRequest;
import dev.tessera.server.domain.error.OAuthException;

import java.text.ParseException;
import java.util.Map;

/** Reads the {@code claims} parameter's JSON (Nimbus, never by hand) into a {@link ClaimsRequest}. */
public final class ClaimsRequestParser {
    private ClaimsRequestParser() {
    }

    /** Null or blank gives the empty request; malformed JSON or a wrong shape is invalid_request (Core §5.5). */
    public static ClaimsRequest parse(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return ClaimsRequest.none();
        }
        // Gson, under Nimbus, would read an array of pairs as a map: only an object is a claims request.
        if (!parameter.strip().startsWith("{")) {
            throw OAuthException.invalidRequest("the claims parameter must be a JSON object");
        }
        Map<String, Object> parsed;
        try {
            parsed = JSONObjectUtils.parse(parameter);
        } catch (ParseException | RuntimeException e) {
            throw OAuthException.invalidRequest("the claims parameter is not a valid JSON object");
        }
        return ClaimsRequest.of(parameter, parsed);
    }
}
