package dev.tessera.server.domain.scope;

import dev.tessera.server.domain.error.OAuthError;
import dev.tessera.server.domain.error.OAuthException;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** An ordered set of scope tokens (RFC 6749 §3.3). */
public final class Scopes {
    public static final String OPENID = "openid";
    public static final String OFFLINE_ACCESS = "offline_access";
    private static final Scopes EMPTY = new Scopes(Set.of());

    private final Set<String> values;

    private Scopes(Set<String> values) {
        this.values = values;
    }

    public static Scopes empty() {
        return EMPTY;
    }

    public static Scopes of(Collection<String> values) {
        LinkedHashSet<String> copy = new LinkedHashSet<>();
        for (String value : values) {
            requireToken(value);
            copy.add(value);
        }
        return new Scopes(Collections.unmodifiableSet(copy));
    }

    public static Scopes of(String... values) {
        return of(java.util.List.of(values));
    }

    /** Parses a space-delimited scope parameter; null or blank gives the empty set. */
    public static Scopes parse(String parameter) {
        if (parameter == null || parameter.isBlank()) {
            return EMPTY;
        }
        LinkedHashSet<String> parsed = new LinkedHashSet<>();
        for (String token : parameter.split(" ")) {
            if (token.isEmpty()) {
                continue; // tolerate double spaces, as most servers do
            }
            requireToken(token);
            parsed.add(token);
        }
        return new Scopes(Collections.unmodifiableSet(parsed));
    }

    // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    private static void requireToken(String token) {
        if (token == null || token.isEmpty()) {
            throw new OAuthException(OAuthError.INVALID_SCOPE, "scope values must not be empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7E || c == '"' || c == '\\') {
                throw new OAuthException(OAuthError.INVALID_SCOPE,
                        "scope contains a character that RFC 6749 section 3.3 does not allow");
            }
        }
    }

    public Set<String> values() {
        return values;
    }

    public boolean contains(String scope) {
        return values.contains(scope);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public boolean containsAll(Scopes other) {
        return values.containsAll(other.values);
    }

    public Scopes intersect(Scopes allowed) {
        LinkedHashSet<String> kept = new LinkedHashSet<>(values);
        kept.retainAll(allowed.values);
        return new Scopes(Collections.unmodifiableSet(kept));
    }

    public Scopes without(Scopes other) {
        LinkedHashSet<String> kept = new LinkedHashSet<>(values);
        kept.removeAll(other.values);
        return new Scopes(Collections.unmodifiableSet(kept));
    }

    /** The space-delimited form used in the scope parameter and the scope claim. */
    public String asString() {
        return String.join(" ", values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scopes other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return asString();
    }
}
