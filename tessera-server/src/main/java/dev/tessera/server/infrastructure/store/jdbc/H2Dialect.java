package dev.tessera.server.infrastructure.store.jdbc;

/** H2 in its regular mode: no {@code ON CONFLICT}, but a failed statement leaves the transaction usable. */
public final class H2Dialect implements SqlDialect {
    H2Dialect() {
    }

    @Override
    public String name() {
        return "h2";
    }

    @Override
    public String insertIgnoringDuplicate(String insert) {
        return insert; // the duplicate surfaces as SQLState 23505 and the caller treats it as "exists"
    }

    @Override
    public boolean writesInWithClauses() {
        return false;
    }
}
