package dev.tessera.server.infrastructure.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import net.logstash.logback.encoder.LogstashEncoder;

import java.util.Locale;

/**
 * Tessera's logging set-up, in code rather than in a logback.xml: logback finds it through its {@code Configurator}
 * service before it looks for XML. Reading XML costs every start logback's Joran machinery and the JDK's XML parser,
 * about 300 classes and a tenth of a second on the way to ready (issue 10); this builds the same appenders directly.
 *
 * <p>What it sets up: every line to stdout, JSON by default (SPEC §10; logstash-logback-encoder, with the
 * {@code request_id} from the MDC) or text with {@code -Dtessera.log.format=text} or {@code TESSERA_LOG_FORMAT=text};
 * the audit logger {@code tessera.audit} through a bounded queue that never blocks a request
 * ({@link DropCountingAsyncAppender}: 8192 events, nothing discarded before it is full, drops counted), in the same
 * format and not repeated by the root logger; Jetty, Javalin, Hikari and Flyway at WARN; everything else at INFO.
 *
 * <p>An operator's own configuration still wins, as it always did: with {@code -Dlogback.configurationFile}, or a
 * {@code logback.xml} or {@code logback-test.xml} on the class path (the tests' one), this steps aside and logback
 * reads that file.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    static final String FORMAT_PROPERTY = "tessera.log.format";
    static final String FORMAT_VARIABLE = "TESSERA_LOG_FORMAT";
    static final String AUDIT_LOGGER = "tessera.audit";
    static final int AUDIT_QUEUE_SIZE = 8192;
    private static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} %X{request_id} %msg%n";
    private static final String[] QUIET_LIBRARIES = {"org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb"};

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (operatorConfigurationPresent()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY; // logback's own configurator reads that file
        }
        apply(context, System.getProperty(FORMAT_PROPERTY, System.getenv(FORMAT_VARIABLE)));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    private static boolean operatorConfigurationPresent() {
        ClassLoader loader = LogConfiguration.class.getClassLoader();
        return System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null;
    }

    /** Configures {@code context} as described above; {@code format} is {@code text}, or anything else for JSON. */
    static void apply(LoggerContext context, String format) {
        // Status messages (an appender starting, ...) stay off the console, as the XML's NopStatusListener kept them.
        context.getStatusManager().add(new NopStatusListener());
        boolean text = format != null && "text".equals(format.trim().toLowerCase(Locale.ROOT));
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(text ? "text" : "json");
        console.setEncoder(text ? textEncoder(context) : jsonEncoder(context));
        console.start();

        DropCountingAsyncAppender audit = new DropCountingAsyncAppender();
        audit.setContext(context);
        audit.setName("audit");
        audit.setQueueSize(AUDIT_QUEUE_SIZE);
        audit.setDiscardingThreshold(0); // logback's default drops INFO events at 80% full; every audit event is INFO
        audit.setNeverBlock(true);
        audit.addAppender(console);
        audit.start();
        Logger auditLogger = context.getLogger(AUDIT_LOGGER);
        auditLogger.setLevel(Level.INFO);
        auditLogger.setAdditive(false);
        auditLogger.addAppender(audit);

        for (String library : QUIET_LIBRARIES) {
            context.getLogger(library).setLevel(Level.WARN);
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.addIncludeMdcKeyName("request_id");
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(TEXT_PATTERN);
        encoder.start();
        return encoder;
    }
}
