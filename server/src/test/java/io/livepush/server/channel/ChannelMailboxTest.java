package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChannelMailboxTest {
    private static ChannelMailbox.Publish publish(String key) {
        return new ChannelMailbox.Publish("k", ByteString.EMPTY, "u", key, new CompletableFuture<>());
    }

    @Test
    void refusesBeyondItsCapacity() {
        ChannelMailbox box = new ChannelMailbox(2);
        assertThat(box.offer(publish("a"))).isTrue();
        assertThat(box.offer(publish("b"))).isTrue();
        assertThat(box.offer(publish("c"))).isFalse();
        assertThat(box.take(10)).hasSize(2);
        assertThat(box.offer(publish("d"))).as("room again once taken").isTrue();
    }

    @Test
    void oneDrainAtATimeAndItGoesOnWhileItemsArrive() {
        ChannelMailbox box = new ChannelMailbox(10);
        box.offer(publish("a"));
        assertThat(box.claimDrain()).isTrue();
        box.offer(publish("b"));
        assertThat(box.claimDrain()).as("a drain is already scheduled").isFalse();
        assertThat(box.take(1)).extracting(i -> ((ChannelMailbox.Publish) i).idempotencyKey()).containsExactly("a");
        assertThat(box.continueDrain()).as("b is still queued").isTrue();
        assertThat(box.take(10)).hasSize(1);
        assertThat(box.continueDrain()).as("empty: the drain ends").isFalse();
        assertThat(box.claimDrain()).as("the next item schedules a new drain").isTrue();
    }
}
