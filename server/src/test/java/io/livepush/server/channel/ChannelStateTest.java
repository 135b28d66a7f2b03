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
        ChannelState st = state("user.1");
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

    @Test
    void aParkedMemberStaysInPresenceOutOfFanOutUntilItLeaves() {
        ChannelState st = state("room.1");
        Subscription member = new Subscription(Outbox.of(a), "room.1", true, false);
        st.add(member);
        st.park(member);
        assertThat(st.roomMembers()).isEqualTo(1);
        assertThat(st.groups()).as("fan-out does not see it").isEmpty();

        Subscription back = Subscription.replacing(member);
        back.replaces = null; // as Followers does when it takes the place
        assertThat(st.remove(member)).isTrue();
        assertThat(st.add(back)).isTrue();
        assertThat(st.roomMembers()).isEqualTo(1);
        assertThat(st.groups()).hasSize(1);

        assertThat(st.remove(back)).isTrue();
        assertThat(st.hasMembers()).isFalse();
    }

    @Test
    void parkedOrLeftBeforeItsAttachArrivedItEntersParkedOrNotAtAll() {
        ChannelState st = state("room.2");
        Subscription early = new Subscription(Outbox.of(a), "room.2", true, false);
        st.park(early);
        assertThat(st.add(early)).isTrue();
        assertThat(st.roomMembers()).isEqualTo(1);
        assertThat(st.groups()).isEmpty();

        Subscription gone = new Subscription(Outbox.of(b), "room.2", true, false);
        assertThat(st.remove(gone)).as("not counted yet").isFalse();
        assertThat(st.add(gone)).as("its attach arrives after it left").isFalse();
        assertThat(st.roomMembers()).isEqualTo(1);

        assertThat(st.remove(early)).isTrue();
        assertThat(st.hasMembers()).isFalse();
    }

    private static EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new Outbox(Outbox.Framing.DELIMITED));
        return ch;
    }

    private static Subscription subscription(EmbeddedChannel ch, String channel) {
        return new Subscription(Outbox.of(ch), channel, false, false);
    }

    /** A channel that counts presence and sends no join/leave events. */
    private ChannelState state(String name) {
        return new ChannelState(
                name, a.eventLoop(), new RecentFrames(8, new FrameBudget(1 << 20)), new LoopFlushers(), 0, true, false);
    }
}
