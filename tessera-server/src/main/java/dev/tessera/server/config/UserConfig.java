package dev.tessera.server.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user declared in {@code tessera.yaml}. Exactly one of {@code password} (hashed at startup) and
 * {@code passwordHash} (an Argon2id PHC string) is set.
 *
 * @param id             the stable subject; when absent, {@link #defaultId(String)} derives it from the username
 * @param claims         free-form OIDC claims (strings, numbers, booleans, lists, maps)
 * @param verifiedClaims the OIDC4IDA {@code verified_claims} value as written: an object or a list of objects
 *                       (the validator checks which); an empty map when none
 * @param totpSecret     {@code totp.secret}: the user's RFC 6238 secret in base32, or null (enrol by CLI or page)
 */
public record UserConfig(String id, String username, String password, String passwordHash, List<String> roles,
                         Map<String, Object> claims, Object verifiedClaims,
                         List<AccountLinkConfig> links, String totpSecret) {

    public UserConfig {
        id = id == null && username != null ? defaultId(username) : id;
        roles = roles == null ? List.of() : List.copyOf(roles);
        claims = claims == null ? Map.of() : Map.copyOf(claims);
        verifiedClaims = verifiedClaims == null ? Map.of()
                : verifiedClaims instanceof Map<?, ?> map ? Map.copyOf(map)
                : verifiedClaims instanceof List<?> list ? List.copyOf(list)
                : verifiedClaims; // a wrong shape stays as written, for the validator to name
        links = links == null ? List.of() : List.copyOf(links);
    }

    /** A user without a TOTP secret in the file. */
    public UserConfig(String id, String username, String password, String passwordHash, List<String> roles,
                      Map<String, Object> claims, Object verifiedClaims, List<AccountLinkConfig> links) {
        this(id, username, password, passwordHash, roles, claims, verifiedClaims, links, null);
    }

    /**
     * A name-based UUID of the username: the same on every instance and every restart, so a config user keeps
     * their subject (and their tokens, consents and pairwise subjects) without an id in the file, and the
     * subject does not spell out the username.
     */
    public static String defaultId(String username) {
        return UUID.nameUUIDFromBytes(("tessera-user:" + username).getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static Builder builder(String username) {
        return new Builder(username);
    }

    @Override
    public String toString() {
        return "UserConfig[id=" + id + ", username=" + username + ", password=" + Redaction.mask(password)
                + ", passwordHash=" + Redaction.mask(passwordHash) + ", roles=" + roles
                + ", claims=" + claims.keySet() + ", verifiedClaims=" + shape(verifiedClaims)
                + ", links=" + links + ", totp.secret=" + Redaction.mask(totpSecret) + "]";
    }

    // Keys only, as for claims: the values are personal data.
    private static String shape(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.keySet().toString();
        }
        return value instanceof List<?> list ? "[" + list.size() + " entries]" : "[redacted]";
    }

    public static final class Builder {
        private final String username;
        private String id;
        private String password;
        private String passwordHash;
        private List<String> roles;
        private Map<String, Object> claims;
        private Object verifiedClaims;
        private List<AccountLinkConfig> links;
        private String totpSecret;

        private Builder(String username) {
            this.username = username;
        }

        public Builder id(String v) { this.id = v; return this; }
        public Builder password(String v) { this.password = v; return this; }
        public Builder passwordHash(String v) { this.passwordHash = v; return this; }
        public Builder roles(List<String> v) { this.roles = v; return this; }
        public Builder claims(Map<String, Object> v) { this.claims = v; return this; }
        public Builder verifiedClaims(Object v) { this.verifiedClaims = v; return this; }
        public Builder links(List<AccountLinkConfig> v) { this.links = v; return this; }
        public Builder totpSecret(String v) { this.totpSecret = v; return this; }

        public UserConfig build() {
            return new UserConfig(id, username, password, passwordHash, roles, claims, verifiedClaims, links, totpSecret);
        }
    }
}
