package dev.tessera.server.config;

/** Keeps secrets out of record toString(), which ends up in logs and debugger views. */
final class Redaction {
    private Redaction() {
    }

    static String mask(String secret) {
        return secret == null ? "null" : "[redacted]";
    }
}
