package dev.tessera.server.config;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks on {@code users[]}: unique names and ids, one password form, claims, verified claims, account links. */
final class UserRules {
    // PHC string format: $argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>, salt and hash in unpadded base64.
    private static final Pattern ARGON2ID_PHC = Pattern.compile(
            "\\$argon2id\\$(v=\\d+\\$)?m=\\d+,t=\\d+,p=\\d+(,[a-z]+=[A-Za-z0-9+/]*)*\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
    private static final Pattern BASE32 = Pattern.compile("[A-Z2-7]+=*");
    /** Claims Tessera sets itself; a user claim must not override them. */
    static final Set<String> RESERVED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "auth_time",
            "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "sid", "client_id", "scope", "cnf", "roles");

    private final Set<String> trustedIssuers;
    private final PasswordsConfig passwords;
    private final Problems problems;

    /** @param trustedIssuers the {@code trustedIssuers[].issuer} values a link may name */
    UserRules(Set<String> trustedIssuers, PasswordsConfig passwords, Problems problems) {
        this.trustedIssuers = Set.copyOf(trustedIssuers);
        this.passwords = passwords;
        this.problems = problems;
    }

    void check(List<UserConfig> users) {
        Map<String, Integer> usernames = new HashMap<>();
        Map<String, Integer> ids = new HashMap<>();
        Map<String, String> linkedAccounts = new HashMap<>();
        for (int i = 0; i < users.size(); i++) {
            UserConfig user = users.get(i);
            String path = Problems.element("users", i);
            if (user.username() == null || user.username().isBlank()) {
                problems.add(Problems.child(path, "username"), "is required");
            } else {
                Integer earlier = usernames.putIfAbsent(user.username(), i);
                if (earlier != null) {
                    problems.add(Problems.child(path, "username"), "is already used by users[" + earlier + "]");
                }
            }
            // A derived id repeats only with a repeated username, which is reported above.
            boolean explicitId = user.id() != null && !user.id().equals(UserConfig.defaultId(user.username()));
            if (explicitId) {
                Integer earlier = user.id().isBlank() ? null : ids.putIfAbsent(user.id(), i);
                if (user.id().isBlank()) {
                    problems.add(Problems.child(path, "id"), "must not be empty (leave it out to derive one)");
                } else if (earlier != null) {
                    problems.add(Problems.child(path, "id"), "is already used by users[" + earlier + "]");
                }
            }
            password(user, path);
            for (int k = 0; k < user.roles().size(); k++) {
                if (user.roles().get(k).isBlank()) {
                    problems.add(Problems.element(Problems.child(path, "roles"), k), "must not be empty");
                }
            }
            for (String claim : user.claims().keySet()) {
                if (RESERVED_CLAIMS.contains(claim)) {
                    problems.add(Problems.child(Problems.child(path, "claims"), claim), "is set by Tessera and cannot be configured");
                }
            }
            VerifiedClaimsRules.check(user.verifiedClaims(), Problems.child(path, "verifiedClaims"), problems);
            totpSecretProblem(user.totpSecret()).ifPresent(problem ->
                    problems.add(Problems.child(Problems.child(path, "totp"), "secret"), problem));
            links(user, path, linkedAccounts);
        }
    }

    private void password(UserConfig user, String path) {
        boolean hasPassword = user.password() != null;
        boolean hasHash = user.passwordHash() != null;
        if (hasPassword && hasHash) {
            problems.add(Problems.child(path, "passwordHash"), "set only one of password and passwordHash");
        } else if (!hasPassword && !hasHash) {
            problems.add(Problems.child(path, "password"), "one of password or passwordHash is required");
        }
        if (hasPassword && user.password().isEmpty()) {
            problems.add(Problems.child(path, "password"), "must not be empty");
        } else if (hasPassword) {
            // The same rule as `users add` and `users set-password`: a file is no way around it.
            passwords.problem(user.password()).ifPresent(problem -> problems.add(Problems.child(path, "password"),
                    problem + " (passwords.minLength)"));
        }
        if (hasHash && !ARGON2ID_PHC.matcher(user.passwordHash()).matches()) {
            problems.add(Problems.child(path, "passwordHash"),
                    "must be an Argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)");
        }
    }

    /**
     * RFC 4648 base32 (case and spaces as people copy them; padding optional) of at least 128 bits, the least
     * RFC 4226 §4 (R6) allows; 160 bits are recommended. The message never repeats the secret.
     */
    static Optional<String> totpSecretProblem(String secret) {
        if (secret == null) {
            return Optional.empty();
        }
        String compact = secret.replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        String unpadded = compact.replaceAll("=+$", "");
        int rest = unpadded.length() % 8;
        if (!BASE32.matcher(compact).matches() || rest == 1 || rest == 3 || rest == 6
                || (compact.length() != unpadded.length() && compact.length() % 8 != 0)) {
            return Optional.of("must be base32 (RFC 4648: letters A-Z and digits 2-7)");
        }
        if (unpadded.length() * 5 / 8 < 16) {
            return Optional.of("is too short: at least 128 bits (26 base32 characters); 160 bits (32) are recommended");
        }
        return Optional.empty();
    }

    private void links(UserConfig user, String path, Map<String, String> linkedAccounts) {
        List<AccountLinkConfig> links = user.links();
        for (int k = 0; k < links.size(); k++) {
            AccountLinkConfig link = links.get(k);
            String linkPath = Problems.element(Problems.child(path, "links"), k);
            link(link, linkPath, trustedIssuers, problems);
            if (link.issuer() != null && link.subject() != null) {
                // One outside account mapping to two users would make the jwt-bearer grant's user ambiguous.
                String account = link.issuer() + "\n" + link.subject();
                String earlier = linkedAccounts.putIfAbsent(account, linkPath);
                if (earlier != null) {
                    problems.add(linkPath, "this account is already linked at " + earlier);
                }
            }
        }
    }

    /** One link on its own; shared with {@code tessera users link} through ConfigValidator. */
    static void link(AccountLinkConfig link, String linkPath, Set<String> trustedIssuers, Problems problems) {
        String issuerPath = Problems.child(linkPath, "issuer");
        Optional<URI> issuer = UriRules.absolute(link.issuer());
        if (link.issuer() == null || link.issuer().isBlank()) {
            problems.add(issuerPath, "is required");
        } else if (issuer.isEmpty() || !UriRules.isHttpUrl(issuer.get())) {
            problems.add(issuerPath, "must be an absolute http(s) URL");
        } else if (!trustedIssuers.contains(link.issuer())) {
            // The jwt-bearer grant compares iss exactly and only for trusted issuers: this link could never match.
            problems.add(issuerPath, "is not a trusted issuer; add it to trustedIssuers");
        }
        if (link.subject() == null || link.subject().isEmpty()) {
            problems.add(Problems.child(linkPath, "subject"), "is required");
        }
    }
}
