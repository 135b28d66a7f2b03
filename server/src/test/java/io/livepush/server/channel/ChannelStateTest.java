package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelStateTest {
    private final EmbeddedChannel a = connection();
    private final EmbeddedChannel b = connection();

    @AfterEach
    void close() {
        a.finishAndReleaseAll();
        b.finishAndReleaseAll();
    }

    @Test
    void keepsRecentFramesOnlyOnceMoreThanOneFollowedItSinceItBecameLive() {
        ChannelState st = new ChannelState(
                "user.1",
                a.eventLoop(),
                new RecentFrames(8, new FrameBudget(1 << 20)),
                new LoopFlushers(),
                0,
                true,
                false);
        Subscription first = subscription(a, "user.1");
        st.add(first);
        assertThat(st.sharesRecentFrames())
                .as("an inbox on one device resumes from the store")
                .isFalse();

        Subscription second = subscription(b, "user.1");
        st.add(second);
        st.remove(first);
        st.remove(second);
        assertThat(st.hasMembers()).isFalse();
        assertThat(st.sharesRecentFrames())
                .as("its followers may all come back at once")
                .isTrue();
    }

    private static EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new Outbox(Outbox.Framing.DELIMITED));
        return ch;
    }

    private static Subscription subscription(EmbeddedChannel ch, String channel) {
        return new Subscription(Outbox.of(ch), channel, false, false);
    }
}
