package dev.tessera.server.infrastructure.audit;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/**
 * Writes out what the asynchronous audit appender still holds when the process exits: its worker is a daemon
 * thread, so without this the last audit events of a stopping server (a drain's final tokens) could be lost.
 */
public final class AuditLogFlush {
    private AuditLogFlush() {
    }

    /** Stops logback, which drains the audit queue (at most a second); call it last, after the server closed. */
    public static void atExit() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
