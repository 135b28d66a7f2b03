package io.livepush.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.testing.MutableClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShutdownSummaryTest {
    private static final String SCRAPE = """
            # HELP push_messages_published_total Messages stored in a channel
            # TYPE push_messages_published_total counter
            push_messages_published_total 12.0
            # TYPE push_messages_delivered_total counter
            push_messages_delivered_total{transport="tcp"} 30.0
            push_messages_delivered_total{transport="ws"} 6.0
            push_messages_delivered_totally_other 99.0
            """;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T05:00:00Z"));
    private final ShutdownSummary summary = new ShutdownSummary(clock);

    @Test
    void saysHowLongTheServerRanWhatItServedAndHowTheStoreClosed() {
        accept(3);
        clock.advance(Duration.ofHours(26).plusMinutes(3).plusSeconds(4));

        assertThat(summary.line(SCRAPE, true))
                .isEqualTo("stopped after 1d02h03m04s: 3 connections accepted, 12 messages published, 36 delivered;"
                        + " store closed cleanly");
        clock.advance(Duration.ofDays(-1));
        assertThat(summary.line(SCRAPE, false))
                .isEqualTo("stopped after 2h03m04s: 3 connections accepted, 12 messages published, 36 delivered;"
                        + " store NOT closed cleanly (see above)");
    }

    @Test
    void leavesOutACountWhoseMetricIsNotThere() {
        assertThat(summary.line("push_connections 0.0\n", true))
                .isEqualTo("stopped after 0h00m00s: 0 connections accepted; store closed cleanly");
    }

    /** A listening channel reads each accepted connection as a message. */
    private void accept(int connections) {
        EmbeddedChannel listener = new EmbeddedChannel(summary.acceptCounter());
        for (int i = 0; i < connections; i++) {
            EmbeddedChannel child = new EmbeddedChannel();
            listener.writeInbound(child);
            assertThat(listener.<EmbeddedChannel>readInbound())
                    .as("passed on to the acceptor")
                    .isSameAs(child);
            child.finishAndReleaseAll();
        }
        listener.finishAndReleaseAll();
    }
}
