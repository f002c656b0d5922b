package dev.tessera.server.config;

/**
 * @param pairwiseSalt secret mixed into pairwise subjects; must be the same on every instance; null when
 *                     no client is pairwise; never printed by {@link #toString()}
 */
public record SubjectsConfig(String pairwiseSalt) {
    public static SubjectsConfig defaults() {
        return new SubjectsConfig(null);
    }

    @Override
    public String toString() {
        return "SubjectsConfig[pairwiseSalt=" + Redaction.mask(pairwiseSalt) + "]";
    }
}
