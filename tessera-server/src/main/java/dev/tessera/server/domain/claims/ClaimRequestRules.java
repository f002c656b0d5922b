package dev.tessera.server.domain.claims;

import dev.tessera.server.domain.error.OAuthException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of an individual claim request (OIDC Core §5.5.1) and of the request elements inside
 * {@code verified_claims} (OIDC4IDA §6): {@code null}, or an object whose {@code essential} is a boolean,
 * {@code values} an array, {@code purpose} 3 to 300 characters and {@code max_age} a non-negative integer.
 * Members this server does not know are ignored, as Core §5.5 asks.
 */
final class ClaimRequestRules {
    /** The members that make an object a request for one element rather than a tree of sub-elements. */
    static final Set<String> LEAF_MEMBERS = Set.of("essential", "value", "values", "purpose", "max_age");

    private ClaimRequestRules() {
    }

    /** @param value the JSON value of the claim's member: null or an object */
    static ClaimRequest claim(String name, Object value, String where) {
        if (value == null) {
            return ClaimRequest.voluntary(name);
        }
        if (!(value instanceof Map<?, ?> object)) {
            throw invalid(where + "." + name, "must be null or a JSON object");
        }
        checkLeafMembers(object, where + "." + name);
        return new ClaimRequest(name, Boolean.TRUE.equals(object.get("essential")), values(object),
                (String) object.get("purpose"));
    }

    /** Checks the members of an element request object that this server reads. */
    static void checkLeafMembers(Map<?, ?> object, String where) {
        Object essential = object.get("essential");
        if (essential != null && !(essential instanceof Boolean)) {
            throw invalid(where + ".essential", "must be true or false");
        }
        Object values = object.get("values");
        if (values != null && !(values instanceof List<?>)) {
            throw invalid(where + ".values", "must be a JSON array");
        }
        if (values instanceof List<?> list && list.contains(null)) {
            throw invalid(where + ".values", "must not contain null");
        }
        if (object.get("value") instanceof Map<?, ?> || object.get("value") instanceof List<?>) {
            throw invalid(where + ".value", "must be a string, number or boolean");
        }
        if (object.containsKey("value") && values != null) {
            throw invalid(where, "has both value and values; send one of them");
        }
        Object purpose = object.get("purpose");
        // OIDC4IDA §6.1: a purpose shorter than 3 or longer than 300 characters is invalid_request.
        if (purpose != null && (!(purpose instanceof String text) || text.length() < 3 || text.length() > 300)) {
            throw invalid(where + ".purpose", "must be a string of 3 to 300 characters");
        }
        Object maxAge = object.get("max_age");
        if (maxAge != null && !(maxAge instanceof Number number && isWholeNonNegative(number))) {
            throw invalid(where + ".max_age", "must be a non-negative whole number of seconds");
        }
    }

    private static List<Object> values(Map<?, ?> object) {
        List<Object> values = new ArrayList<>();
        if (object.containsKey("value") && object.get("value") != null) {
            values.add(object.get("value"));
        }
        if (object.get("values") instanceof List<?> list) {
            values.addAll(list);
        }
        return values;
    }

    private static boolean isWholeNonNegative(Number number) {
        return (number instanceof Long || number instanceof Integer) && number.longValue() >= 0;
    }

    /** invalid_request naming where in the JSON the problem is; the path is client text, so it is cleaned. */
    static OAuthException invalid(String path, String problem) {
        return OAuthException.invalidRequest("the claims parameter is malformed: "
                + OAuthException.safeParameterName(path) + " " + problem);
    }
}
