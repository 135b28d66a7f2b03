package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.PublishAck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A reader too slow for the stream: the server drops live messages for it (small write buffer); the
 * client notices the holes and fills them with History, delivering every seq once, in order.
 */
class HoleFillIT {

    @RegisterExtension
    static final TestServer SERVER = new TestServer(b -> b.writeBufferLowBytes(16 * 1024)
            .writeBufferHighBytes(32 * 1024)
            .slowConsumerTimeoutMs(120_000)
            .heartbeatMs(60_000)
            .historyLimit(1000));

    private static final int N = 4000;

    @Test
    void holesFromDropsAreFilledWithHistory() throws Exception {
        CountDownLatch published = new CountDownLatch(1);
        Recorder rx = new Recorder() {
            @Override
            public void onMessage(String channel, Message message) {
                super.onMessage(channel, message);
                if (message.getSeq() == 1) {
                    // A stalled app: the client's thread stops reading until the publisher is done.
                    try {
                        published.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        byte[] payload = new byte[4096];
        try (PushClient receiver = SERVER.client("slow-rx", rx).build();
                PushClient publisher = SERVER.client("slow-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.subscribe("slow.c").get(10, TimeUnit.SECONDS);
            try {
                for (int batch = 0; batch < N / 200; batch++) {
                    List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
                    for (int i = 0; i < 200; i++) {
                        acks.add(publisher.publish("slow.c", "blob", payload));
                    }
                    for (CompletableFuture<PublishAck> a : acks) {
                        a.get(20, TimeUnit.SECONDS);
                    }
                }
            } finally {
                published.countDown();
            }
            // A drop at the tail shows only when a later message arrives (its seq skips): the stream goes on
            // slowly until the receiver has caught up with everything published.
            long total = N;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rx.count("slow.c") < total) {
                if (System.nanoTime() > deadline) {
                    List<Long> got = rx.seqs("slow.c");
                    throw new AssertionError("receiver stuck: got " + got.size() + " of " + total + ", last "
                            + got.subList(Math.max(0, got.size() - 5), got.size()) + ", states " + rx.states
                            + ", errors " + rx.errors);
                }
                total = publisher
                        .publish("slow.c", "tail", new byte[0])
                        .get(20, TimeUnit.SECONDS)
                        .getSeq();
                Thread.sleep(50); // the pace of the live stream, not synchronisation
            }
            long expected = total;
            Recorder.await(expected + " messages", Duration.ofSeconds(30), () -> rx.count("slow.c") >= expected);
            rx.assertExactlyOnceInOrder("slow.c", expected);
            assertThat(rx.resets).isEmpty();
            assertThat(SERVER.metric("push_messages_dropped_total"))
                    .as("the server dropped live messages")
                    .isPositive();
            assertThat(rx.states)
                    .as("filled live, not by a reconnect; errors %s", rx.errors)
                    .doesNotContain(ConnectionState.DISCONNECTED);
        }
    }
}
