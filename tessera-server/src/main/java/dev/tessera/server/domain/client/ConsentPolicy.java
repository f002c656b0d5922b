package dev.tessera.server.domain.client;

/** REQUIRED asks the user once per new scope; SKIP is for first-party clients the operator trusts. */
public enum ConsentPolicy {
    REQUIRED, SKIP
}
