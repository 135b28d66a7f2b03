package io.livepush.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RefusalLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("refusal-log-test");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final RefusalLog refusals = new RefusalLog(logger, 10_000, now::get);

    RefusalLogTest() {
        logger.setLevel(Level.INFO);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
    }

    @Test
    void oneLineOfAKindPerIntervalThenTheCountOfTheOthers() {
        for (int i = 0; i < 100; i++) {
            refusals.info("malformed frame", "remote={}", "10.0.0." + i);
        }
        refusals.info("connect refused", "remote={}", "10.0.0.1"); // another kind has its own window
        now.addAndGet(10_000);
        refusals.info("malformed frame", "remote={}", "10.0.0.200");

        assertThat(lines.list)
                .extracting(ILoggingEvent::getFormattedMessage)
                .containsExactly(
                        "malformed frame remote=10.0.0.0",
                        "connect refused remote=10.0.0.1",
                        "malformed frame remote=10.0.0.200 (and 99 more like it since the last line)");
    }
}
