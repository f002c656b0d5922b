package dev.tessera.server.config;

import java.util.List;
import java.util.Map;

/**
 * The shape of {@code users[].verifiedClaims} (OpenID Connect for Identity Assurance 1.0 §5): an object
 * with {@code verification} (an object with a {@code trust_framework} string) and {@code claims} (an
 * object), or a list of such objects; each {@code evidence} item must be an object naming its {@code type}.
 * Checked at startup so a malformed one is neither released nor advertised in discovery.
 */
final class VerifiedClaimsRules {
    private VerifiedClaimsRules() {
    }

    static void check(Object value, String path, Problems problems) {
        if (value instanceof Map<?, ?> object) {
            if (!object.isEmpty()) { // an empty mapping means none
                element(object, path, problems);
            }
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                problems.add(path, "must not be an empty list (leave it out for none)");
            }
            for (int i = 0; i < list.size(); i++) {
                String elementPath = Problems.element(path, i);
                if (list.get(i) instanceof Map<?, ?> object) {
                    element(object, elementPath, problems);
                } else {
                    problems.add(elementPath, "must be an object with verification and claims");
                }
            }
        } else {
            problems.add(path, "must be an object with verification and claims, or a list of such objects");
        }
    }

    private static void element(Map<?, ?> object, String path, Problems problems) {
        String verificationPath = Problems.child(path, "verification");
        Object verification = object.get("verification");
        if (verification == null) {
            problems.add(verificationPath, "is required (an object with trust_framework; "
                    + "OpenID Connect for Identity Assurance 1.0)");
        } else if (verification instanceof Map<?, ?> details) {
            Object framework = details.get("trust_framework");
            String frameworkPath = Problems.child(verificationPath, "trust_framework");
            if (framework == null) {
                problems.add(frameworkPath, "is required");
            } else if (!(framework instanceof String text) || text.isBlank()) {
                problems.add(frameworkPath, "must be a non-empty string");
            }
            evidence(details.get("evidence"), Problems.child(verificationPath, "evidence"), problems);
        } else {
            problems.add(verificationPath, "must be an object");
        }
        String claimsPath = Problems.child(path, "claims");
        Object claims = object.get("claims");
        if (claims == null) {
            problems.add(claimsPath, "is required (an object holding the verified claims)");
        } else if (!(claims instanceof Map<?, ?>)) {
            problems.add(claimsPath, "must be an object");
        }
    }

    // Evidence is an array of objects, each naming its type (document, electronic_record, vouch, ...).
    private static void evidence(Object evidence, String path, Problems problems) {
        if (evidence == null) {
            return;
        }
        if (!(evidence instanceof List<?> items)) {
            problems.add(path, "must be a list of objects, each with a type");
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            String itemPath = Problems.element(path, i);
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                problems.add(itemPath, "must be an object with a type");
            } else if (!(item.get("type") instanceof String type) || type.isBlank()) {
                problems.add(Problems.child(itemPath, "type"), "is required (for example document or electronic_record)");
            }
        }
    }
}
