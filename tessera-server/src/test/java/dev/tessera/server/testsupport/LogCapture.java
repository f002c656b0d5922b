package dev.tessera.server.testsupport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Collects what one logger writes while open, at every level, so a test can check what was logged (and
 * that secrets were not). The in-process test server logs on its own threads; they are captured too.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final java.util.Map<Logger, Level> raised = new java.util.LinkedHashMap<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.ALL);
    }

    private LogCapture(List<String> verbose) {
        this.logger = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        this.previousLevel = logger.getLevel();
        for (String name : verbose) {
            Logger raise = (Logger) LoggerFactory.getLogger(name);
            raised.put(raise, raise.getLevel());
            raise.setLevel(Level.ALL);
        }
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * Everything every logger writes at its configured level (libraries as the test configuration sets them), with
     * the {@code verbose} loggers opened to every level, e.g. Tessera's own code and the audit trail.
     */
    public static LogCapture everything(String... verbose) {
        return new LogCapture(List.of(verbose));
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    public static LogCapture of(Class<?> type) {
        return new LogCapture(type.getName());
    }

    public List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return List.copyOf(appender.list);
        }
    }

    /** Every event as one line: message, arguments and MDC, to search for things that must not be there. */
    public String allText() {
        StringBuilder text = new StringBuilder();
        for (ILoggingEvent event : events()) {
            text.append(event.getFormattedMessage()).append(' ')
                    .append(event.getArgumentArray() == null ? "" : java.util.Arrays.toString(event.getArgumentArray()))
                    .append(' ').append(event.getMDCPropertyMap());
            for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
                text.append(' ').append(thrown.getClassName()).append(": ").append(thrown.getMessage());
            }
            text.append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        raised.forEach(Logger::setLevel);
    }
}
