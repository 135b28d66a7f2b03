package io.livepush.server.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShutdownSummaryTest {
    private static final String SCRAPE = """
            push_connects_total{transport="tcp"} 2.0
            push_connects_total{transport="websocket"} 1.0
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
        clock.advance(Duration.ofHours(26).plusMinutes(3).plusSeconds(4));

        assertThat(summary.line(SCRAPE, true))
                .isEqualTo("stopped after 1d02h03m04s: 3 clients connected, 12 messages published, 36 delivered,"
                        + " store closed cleanly");
        clock.advance(Duration.ofDays(-1));
        assertThat(summary.line(SCRAPE, false))
                .isEqualTo("stopped after 2h03m04s: 3 clients connected, 12 messages published, 36 delivered,"
                        + " store NOT closed cleanly (see above)");
    }

    @Test
    void leavesOutACountWhoseMetricIsNotThere() {
        assertThat(summary.line("push_connections 0.0\n", true))
                .isEqualTo("stopped after 0h00m00s: store closed cleanly");
    }
}
