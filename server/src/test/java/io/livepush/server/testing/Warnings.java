package io.livepush.server.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Collects what the server logs at WARN and above while it is attached, for tests that assert bad input
 * is answered quietly (a warning, and above all a stack trace, means an input reached a path for bugs).
 */
public final class Warnings extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> seen = new ArrayList<>();

    /** Attaches a collector to the root logger. */
    public static Warnings collect() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Warnings warnings = new Warnings();
        warnings.setName("test-warnings");
        warnings.setContext(root.getLoggerContext());
        warnings.start();
        root.addAppender(warnings);
        return warnings;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            IThrowableProxy thrown = event.getThrowableProxy();
            seen.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
                    + (thrown == null ? "" : " | " + thrown.getClassName() + ": " + thrown.getMessage()));
        }
    }

    /** Returns and forgets what was logged so far. */
    public synchronized List<String> drain() {
        List<String> drained = new ArrayList<>(seen);
        seen.clear();
        return drained;
    }

    @Override
    public void close() {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(this);
        stop();
    }
}
