package dev.tessera.server.domain.client;

/** Whether a client sees the user's public id or a per-sector pairwise one (OIDC Core §8). */
public enum SubjectType {
    PUBLIC, PAIRWISE;

    public String value() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
