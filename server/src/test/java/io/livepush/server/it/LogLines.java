package io.livepush.server.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/** The INFO-and-above lines one logger writes while this is open (the suite's config may keep INFO quiet). */
final class LogLines implements AutoCloseable {
    private final Logger logger;
    private final Level level;
    private final LineAppender lines = new LineAppender();

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
        return lines.events.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .filter(m -> m.contains(text))
                .toList();
    }

    /** The lines so far that carry a stack trace. */
    List<String> withStackTraces() {
        return lines.events.stream()
                .filter(e -> e.getThrowableProxy() != null)
                .map(e -> e.getFormattedMessage() + ": " + e.getThrowableProxy().getClassName())
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(lines);
        logger.setLevel(level);
    }

    /** Logback's ListAppender keeps an ArrayList, which the I/O threads append to while a test reads it. */
    private static final class LineAppender extends AppenderBase<ILoggingEvent> {
        private final Queue<ILoggingEvent> events = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            events.add(event);
        }
    }
}
