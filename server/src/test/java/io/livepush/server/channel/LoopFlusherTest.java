package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopFlusherTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(new Outbox(Outbox.Framing.DELIMITED));
    private final Outbox outbox = Outbox.of(ch);
    private final LoopFlusher flusher = new LoopFlusher(ch.eventLoop());
    private final ByteBuf frame = Unpooled.wrappedBuffer(new byte[] {1, 7});

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        frame.release();
    }

    @Test
    void aConnectionsDeliveriesGoOutOnceWhenTheLoopRunsTheFlusher() {
        for (int i = 0; i < 3; i++) {
            outbox.append(frame);
            flusher.written(outbox, frame.readableBytes());
        }
        assertThat((Object) ch.readOutbound())
                .as("held until the loop runs the flusher")
                .isNull();

        ch.runPendingTasks();

        ByteBuf batch = ch.readOutbound();
        assertThat(batch.readableBytes()).isEqualTo(3 * frame.readableBytes());
        assertThat((Object) ch.readOutbound()).isNull();
        batch.release();
    }

    @Test
    void aLoopThatKeepsDeliveringSendsAfterTheCap() {
        ByteBuf large = Unpooled.wrappedBuffer(new byte[8 * 1024]);
        int deliveries = LoopFlusher.MAX_PENDING_BYTES_PER_PASS / large.readableBytes();
        for (int i = 0; i < deliveries; i++) {
            outbox.append(large);
            flusher.written(outbox, large.readableBytes());
        }

        ByteBuf batch = ch.readOutbound();
        assertThat(batch).as("sent without waiting for the loop's turn to end").isNotNull();
        int sent = batch.readableBytes();
        batch.release();
        while ((batch = ch.readOutbound()) != null) {
            sent += batch.readableBytes();
            batch.release();
        }
        assertThat(sent).isEqualTo(LoopFlusher.MAX_PENDING_BYTES_PER_PASS);
        large.release();
    }
}
