package dev.tessera.server.http.view;

import dev.tessera.server.application.authorize.ConsentClaim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Words for the claims a consent page names (SPEC §3). A claim asked for one by one gets its own line ("See
 * your phone number"); verified claims checked under the same trust frameworks share one line ("See your
 * verified first name and birth date, checked by eidas"), so a person reads what will be vouched for and by
 * whom. Claims we have no words for are still named, in quotes: nothing requested is hidden.
 */
public final class ClaimDescriptions {
    private static final Map<String, String> WORDS = words();

    private ClaimDescriptions() {
    }

    public static List<ClaimDescription> describeAll(List<ConsentClaim> claims) {
        List<ClaimDescription> lines = new ArrayList<>();
        Map<List<String>, List<ConsentClaim>> verifiedByFrameworks = new LinkedHashMap<>();
        for (ConsentClaim claim : claims) {
            if (claim.verified()) {
                verifiedByFrameworks.computeIfAbsent(claim.trustFrameworks(), key -> new ArrayList<>()).add(claim);
            } else {
                lines.add(new ClaimDescription("See your " + words(claim.name()), claim.name(), claim.essential(),
                        claim.purpose()));
            }
        }
        verifiedByFrameworks.forEach((frameworks, group) -> lines.add(verified(frameworks, group)));
        return lines;
    }

    private static ClaimDescription verified(List<String> frameworks, List<ConsentClaim> group) {
        List<String> names = group.stream().map(claim -> words(claim.name())).toList();
        String text = "See your verified " + joined(names)
                + (frameworks.isEmpty() ? "" : ", checked by " + joined(frameworks));
        boolean required = group.stream().anyMatch(ConsentClaim::essential);
        Set<String> purposes = new LinkedHashSet<>();
        group.stream().map(ConsentClaim::purpose).filter(p -> p != null && !p.isBlank()).forEach(purposes::add);
        String raw = "verified_claims: " + String.join(" ", group.stream().map(ConsentClaim::name).toList());
        return new ClaimDescription(text, raw, required, purposes.isEmpty() ? null : String.join(" ", purposes));
    }

    static String words(String claim) {
        String known = WORDS.get(claim);
        return known != null ? known : "\u201c" + claim + "\u201d";
    }

    // "a", "a and b", "a, b and c"
    private static String joined(List<String> parts) {
        if (parts.size() <= 1) {
            return String.join("", parts);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " and " + parts.get(parts.size() - 1);
    }

    private static Map<String, String> words() {
        Map<String, String> words = new LinkedHashMap<>();
        // OIDC Core §5.1
        words.put("name", "full name");
        words.put("given_name", "first name");
        words.put("family_name", "last name");
        words.put("middle_name", "middle name");
        words.put("nickname", "nickname");
        words.put("preferred_username", "preferred username");
        words.put("profile", "profile page address");
        words.put("picture", "profile picture");
        words.put("website", "website");
        words.put("email", "email address");
        words.put("email_verified", "email address's verification status");
        words.put("gender", "gender");
        words.put("birthdate", "birth date");
        words.put("zoneinfo", "time zone");
        words.put("locale", "language and region");
        words.put("phone_number", "phone number");
        words.put("phone_number_verified", "phone number's verification status");
        words.put("address", "postal address");
        words.put("updated_at", "profile's last update time");
        // OpenID Identity Assurance schema
        words.put("place_of_birth", "place of birth");
        words.put("nationalities", "nationality");
        words.put("birth_family_name", "last name at birth");
        words.put("birth_given_name", "first name at birth");
        words.put("birth_middle_name", "middle name at birth");
        words.put("salutation", "salutation");
        words.put("title", "title");
        words.put("msisdn", "mobile number");
        words.put("also_known_as", "other names");
        return Map.copyOf(words);
    }
}
