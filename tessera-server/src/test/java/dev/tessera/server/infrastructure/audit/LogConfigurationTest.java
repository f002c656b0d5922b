package dev.tessera.server.infrastructure.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logging set-up in code (what logback.xml held before): JSON unless text is asked for, the quiet libraries, and
 * stepping aside for an operator's own logback configuration.
 */
class LogConfigurationTest {

    @ParameterizedTest
    @ValueSource(strings = {"json", "JSON", "", "yaml"})
    void everyLineIsJsonUnlessTextIsAskedFor(String format) {
        LoggerContext context = configured(format);
        try {
            assertThat(encoderOf(context.getLogger(Logger.ROOT_LOGGER_NAME), "json")).isInstanceOf(LogstashEncoder.class);
            assertThat(((LogstashEncoder) encoderOf(context.getLogger(Logger.ROOT_LOGGER_NAME), "json"))
                    .getIncludeMdcKeyNames()).containsExactly("request_id");
        } finally {
            context.stop();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "TEXT", " text "})
    void textFormatWritesReadableLinesWithTheRequestId(String format) {
        LoggerContext context = configured(format);
        try {
            Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            assertThat(root.getAppender("json")).isNull();
            PatternLayoutEncoder encoder = (PatternLayoutEncoder) encoderOf(root, "text");
            assertThat(encoder.getPattern()).contains("%X{request_id}").contains("%msg");
            DropCountingAsyncAppender audit = (DropCountingAsyncAppender) context.getLogger("tessera.audit").getAppender("audit");
            assertThat(audit.getAppender("text")).isSameAs(root.getAppender("text"));
        } finally {
            context.stop();
        }
    }

    @Test
    void librariesSpeakOnlyAtWarnAndEverythingElseAtInfo() {
        LoggerContext context = configured(null);
        try {
            for (String library : new String[] {"org.eclipse.jetty.server.Server", "io.javalin.Javalin",
                    "com.zaxxer.hikari.HikariDataSource", "org.flywaydb.core.Flyway"}) {
                assertThat(context.getLogger(library).getEffectiveLevel()).as(library).isEqualTo(Level.WARN);
            }
            assertThat(context.getLogger("dev.tessera.server.bootstrap.TesseraApp").getEffectiveLevel()).isEqualTo(Level.INFO);
        } finally {
            context.stop();
        }
    }

    @Test
    void anOperatorsOwnConfigurationWins() {
        // This module's tests carry a logback-test.xml, as an operator's logback.xml or -Dlogback.configurationFile
        // would: logback's own configurator must read it, so this one configures nothing.
        LoggerContext context = new LoggerContext();
        try {
            LogConfiguration configuration = new LogConfiguration();
            configuration.setContext(context);
            assertThat(configuration.configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
            assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
        } finally {
            context.stop();
        }
    }

    private static LoggerContext configured(String format) {
        LoggerContext context = new LoggerContext();
        LogConfiguration.apply(context, format);
        return context;
    }

    private static Object encoderOf(Logger logger, String appender) {
        return ((OutputStreamAppender<ILoggingEvent>) logger.getAppender(appender)).getEncoder();
    }
}
