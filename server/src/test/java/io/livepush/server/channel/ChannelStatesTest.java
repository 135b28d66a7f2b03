package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.testing.MutableClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelStatesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T00:00:00Z"));
    private final EmbeddedChannel connection = new EmbeddedChannel();

    @AfterEach
    void close() {
        connection.finishAndReleaseAll();
    }

    @Test
    void anIdleStateGoesAfterTheIdleTimeAndAFollowedOneStays() {
        ChannelStates states = states(Long.MAX_VALUE);
        states.get("a");
        follow(states.get("followed"));

        clock.advance(Duration.ofSeconds(59));
        assertThat(states.releaseIdle(connection.eventLoop())).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(states.releaseIdle(connection.eventLoop())).isEqualTo(1);
        assertThat(states.find("a")).isNull();
        assertThat(states.find("followed")).isNotNull();
    }

    @Test
    void aboveTheSoftMaximumStatesNothingNeedsGoWithoutWaitingForTheIdleTime() {
        ChannelStates states = states(2);
        for (int i = 0; i < 5; i++) {
            states.get("inbox." + i); // published to once: nothing needs it now
        }
        follow(states.get("followed"));

        assertThat(states.releaseIdle(connection.eventLoop())).isEqualTo(5);
        assertThat(states.active()).isEqualTo(1);
        assertThat(states.releaseIdle(connection.eventLoop()))
                .as("at or under the maximum: the idle time again")
                .isZero();
    }

    private ChannelStates states(long softMax) {
        // Every state on the one test loop, as its home.
        return new ChannelStates(
                clock,
                60_000,
                softMax,
                name -> new ChannelState(
                        name,
                        connection.eventLoop(),
                        new RecentFrames(8, new FrameBudget(1 << 20)),
                        new LoopFlushers(),
                        clock.millis(),
                        true,
                        false),
                st -> {});
    }

    private void follow(ChannelState st) {
        if (connection.pipeline().get(Outbox.class) == null) {
            connection.pipeline().addLast(new Outbox(Outbox.Framing.DELIMITED));
        }
        st.add(new Subscription(Outbox.of(connection), st.name, false, false));
    }
}
