package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChannelMailboxTest {
    private static ChannelMailbox.Publish publish(String key, int payloadBytes) {
        return new ChannelMailbox.Publish(
                "k", ByteString.copyFrom(new byte[payloadBytes]), "u", key, Reply.to(new CompletableFuture<>()));
    }

    @Test
    void refusesBeyondItsCount() {
        ChannelMailbox box = new ChannelMailbox();
        assertThat(box.offer(publish("a", 0), 2, 1_000)).isEqualTo(ChannelMailbox.Offer.QUEUED);
        assertThat(box.offer(publish("b", 0), 2, 1_000)).isEqualTo(ChannelMailbox.Offer.QUEUED);
        assertThat(box.offer(publish("c", 0), 2, 1_000)).isEqualTo(ChannelMailbox.Offer.FULL);
        assertThat(box.take(10)).hasSize(2);
        assertThat(box.offer(publish("d", 0), 2, 1_000))
                .as("room again once taken")
                .isEqualTo(ChannelMailbox.Offer.QUEUED);
    }

    @Test
    void refusesBeyondItsBytesButAlwaysTakesOneItem() {
        ChannelMailbox box = new ChannelMailbox();
        assertThat(box.offer(publish("a", 5_000), 100, 1_000))
                .as("alone, even a big one fits")
                .isEqualTo(ChannelMailbox.Offer.QUEUED);
        assertThat(box.offer(publish("b", 10), 100, 1_000)).isEqualTo(ChannelMailbox.Offer.FULL);
        assertThat(box.take(10)).hasSize(1);
        assertThat(box.offer(publish("c", 400), 100, 1_000)).isEqualTo(ChannelMailbox.Offer.QUEUED);
        assertThat(box.offer(publish("d", 400), 100, 1_000)).isEqualTo(ChannelMailbox.Offer.QUEUED);
        assertThat(box.offer(publish("e", 400), 100, 1_000)).isEqualTo(ChannelMailbox.Offer.FULL);
    }

    @Test
    void oneDrainAtATimeAndItGoesOnWhileItemsArrive() {
        ChannelMailbox box = new ChannelMailbox();
        box.offer(publish("a", 0), 10, 1_000);
        assertThat(box.claimDrain()).isTrue();
        box.offer(publish("b", 0), 10, 1_000);
        assertThat(box.claimDrain()).as("a drain is already scheduled").isFalse();
        assertThat(box.take(1))
                .extracting(i -> ((ChannelMailbox.Publish) i).idempotencyKey())
                .containsExactly("a");
        assertThat(box.continueDrain()).as("b is still queued").isTrue();
        assertThat(box.take(10)).hasSize(1);
        assertThat(box.continueDrain()).as("empty: the drain ends").isFalse();
        assertThat(box.claimDrain()).as("the next item schedules a new drain").isTrue();
    }

    @Test
    void closesOnlyWhenEmptyAndThenRefusesAsClosed() {
        ChannelMailbox box = new ChannelMailbox();
        assertThat(box.close()).as("never used: closes").isTrue();
        assertThat(box.offer(publish("a", 0), 10, 1_000)).isEqualTo(ChannelMailbox.Offer.CLOSED);

        ChannelMailbox busy = new ChannelMailbox();
        busy.offer(publish("a", 0), 10, 1_000);
        assertThat(busy.close()).as("a write is queued").isFalse();
        busy.take(10);
        assertThat(busy.close()).isTrue();
    }
}
