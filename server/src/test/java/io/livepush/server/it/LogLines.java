package io.livepush.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** The INFO-and-above lines one logger writes while this is open (the suite's config may keep INFO quiet). */
final class LogLines implements AutoCloseable {
    private final Logger logger;
    private final Level level;
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    private LogLines(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        level = logger.getLevel();
        lines.start();
        logger.setLevel(Level.INFO);
        logger.addAppender(lines);
    }

    /** {@code loggerName}: the logging class's name (most are package-private in {@code bootstrap}). */
    static LogLines of(String loggerName) {
        return new LogLines(loggerName);
    }

    /** The lines so far that contain {@code text}. */
    List<String> containing(String text) {
        return lines.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(text))
                .toList();
    }

    /** The lines so far that carry a stack trace. */
    List<String> withStackTraces() {
        return lines.list.stream()
                .filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getFormattedMessage() + ": " + e.getThrowableProxy().getClassName())
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
        logger.setLevel(level);
    }
}
