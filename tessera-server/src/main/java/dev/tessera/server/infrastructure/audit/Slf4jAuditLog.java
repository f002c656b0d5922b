package dev.tessera.server.infrastructure.audit;

import dev.tessera.server.application.port.AuditLog;
import net.logstash.logback.argument.StructuredArguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Audit events as structured log lines on the {@code tessera.audit} logger, so operators can route them
 * apart from diagnostics. Callers pass ids and outcomes only, never tokens or secrets.
 */
public final class Slf4jAuditLog implements AuditLog {
    private static final Logger AUDIT = LoggerFactory.getLogger("tessera.audit");

    @Override
    public void record(String event, Map<String, ?> fields) {
        AUDIT.info("{} {}", event, StructuredArguments.entries(fields), StructuredArguments.keyValue("event", event));
    }
}
