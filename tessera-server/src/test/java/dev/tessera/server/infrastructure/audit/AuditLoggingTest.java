package dev.tessera.server.infrastructure.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail is written off the request thread (SPEC §10): production's logging set-up ({@link LogConfiguration}) sends {@code tessera.audit}
 * through a bounded queue that never blocks, in the same JSON lines as everything else, with the request id of the
 * request that caused each event; a full queue drops and counts instead of waiting.
 */
class AuditLoggingTest {

    @Test
    void productionConfigurationWritesTheAuditLoggerAsynchronouslyWithoutBlockingOrDiscardingEarly() throws Exception {
        LoggerContext context = productionContext();
        try {
            Logger audit = context.getLogger("tessera.audit");
            assertThat(audit.isAdditive()).as("audit lines are written once, by the queue").isFalse();
            assertThat(audit.getEffectiveLevel()).isEqualTo(Level.INFO);
            Appender<ILoggingEvent> appender = audit.getAppender("audit");
            assertThat(appender).isInstanceOf(DropCountingAsyncAppender.class);
            DropCountingAsyncAppender async = (DropCountingAsyncAppender) appender;
            assertThat(async.isStarted()).isTrue();
            assertThat(async.isNeverBlock()).as("a request never waits for the log").isTrue();
            assertThat(async.getDiscardingThreshold()).as("INFO events kept until the queue is full").isZero();
            assertThat(async.getQueueSize()).isEqualTo(8192);
            // Same format as the other lines: JSON by default, through the appender the root logger uses.
            Appender<ILoggingEvent> json = async.getAppender("json");
            assertThat(json).isInstanceOf(ConsoleAppender.class);
            assertThat(((OutputStreamAppender<ILoggingEvent>) json).getEncoder()).isInstanceOf(LogstashEncoder.class);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json")).isSameAs(json);
        } finally {
            context.stop();
        }
    }

    @Test
    void anAuditLineIsOneJsonObjectWithTheEventItsFieldsAndTheRequestId() throws Exception {
        LoggerContext context = productionContext();
        try {
            LogstashEncoder encoder = (LogstashEncoder) ((OutputStreamAppender<ILoggingEvent>) context
                    .getLogger(Logger.ROOT_LOGGER_NAME).getAppender("json")).getEncoder();
            MDC.put("request_id", "req-123");
            LoggingEvent event;
            try {
                Logger audit = context.getLogger("tessera.audit");
                event = new LoggingEvent(Logger.class.getName(), audit, Level.INFO, "{} {}", null, new Object[]{
                        "token_issued", net.logstash.logback.argument.StructuredArguments.entries(
                                Map.of("grant_type", "client_credentials", "client_id", "svc")),
                        net.logstash.logback.argument.StructuredArguments.keyValue("event", "token_issued")});
                event.prepareForDeferredProcessing();
            } finally {
                MDC.remove("request_id");
            }
            String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

            assertThat(line).endsWith("\n").doesNotContain("\n\n");
            assertThat(line.strip()).doesNotContain("\n");
            JsonNode json = new ObjectMapper().readTree(line);
            assertThat(json.path("logger_name").asText()).isEqualTo("tessera.audit");
            assertThat(json.path("event").asText()).isEqualTo("token_issued");
            assertThat(json.path("grant_type").asText()).isEqualTo("client_credentials");
            assertThat(json.path("client_id").asText()).isEqualTo("svc");
            assertThat(json.path("request_id").asText()).isEqualTo("req-123");
        } finally {
            context.stop();
        }
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfMakingTheCallerWait() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the MDC the server's threads write
        CountDownLatch release = new CountDownLatch(1);
        List<ILoggingEvent> written = new CopyOnWriteArrayList<>();
        AppenderBase<ILoggingEvent> slowDisk = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                try {
                    release.await(10, TimeUnit.SECONDS); // a stuck stdout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.add(event);
            }
        };
        slowDisk.setContext(context);
        slowDisk.start();
        DropCountingAsyncAppender async = new DropCountingAsyncAppender();
        async.setContext(context);
        async.setQueueSize(4);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.addAppender(slowDisk);
        async.start();
        Logger audit = context.getLogger("tessera.audit");
        audit.setAdditive(false);
        audit.addAppender(async);
        long droppedBefore = DropCountingAsyncAppender.dropped();
        long dropped;
        try {
            long started = System.nanoTime();
            MDC.put("request_id", "req-queued");
            try {
                for (int i = 0; i < 50; i++) {
                    audit.info("event {}", i);
                }
            } finally {
                MDC.remove("request_id");
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            assertThat(tookMillis).as("50 events against a stuck writer").isLessThan(2_000);
            dropped = DropCountingAsyncAppender.dropped() - droppedBefore;
            // The writer holds what it took (one, or the queue's four more if they were already there) and four
            // wait in the queue; the rest were refused and counted.
            assertThat(dropped).isGreaterThanOrEqualTo(41);
        } finally {
            release.countDown();
            async.stop(); // drains what was queued
            context.stop();
        }
        // One producer: nothing raced for the last slot, so every event was either written or counted.
        assertThat(written.size() + dropped).isEqualTo(50);
        assertThat(written).allSatisfy(event -> {
            assertThat(event.getMDCPropertyMap()).as("the id read on the caller's thread").containsEntry("request_id", "req-queued");
            assertThat(event.getFormattedMessage()).startsWith("event ");
        });
    }

    @Test
    void theShippedAuditFileConfigurationWritesOnlyAuditLinesToItsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("audit.json");
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        context.putProperty("tessera.audit.file", file.toString());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(java.nio.file.Path.of("src/dist/config/logback-audit-file.xml").toFile());
        try {
            MDC.put("request_id", "req-file");
            try {
                context.getLogger("tessera.audit").info("{} {}", "login_success",
                        net.logstash.logback.argument.StructuredArguments.entries(Map.of("user_id", "u1")));
                context.getLogger("dev.tessera.server.Example").warn("a diagnostic line");
            } finally {
                MDC.remove("request_id");
            }
        } finally {
            context.stop(); // drains the queue into the file
        }
        List<String> lines = java.nio.file.Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        JsonNode json = new ObjectMapper().readTree(lines.get(0));
        assertThat(json.path("logger_name").asText()).isEqualTo("tessera.audit");
        assertThat(json.path("user_id").asText()).isEqualTo("u1");
        assertThat(json.path("request_id").asText()).isEqualTo("req-file");
    }

    // logback.xml as production loads it (the tests' own logback-test.xml shadows it on the class path).
    private static LoggerContext productionContext() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the MDC the server's threads write
        LogConfiguration.apply(context, null); // no format asked for: JSON
        return context;
    }
}
