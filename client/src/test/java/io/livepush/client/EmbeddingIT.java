package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.RoomJoined;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client inside an application: on the application's event loops, with callbacks on the
 * application's executor, with a listener that fails, and after close.
 */
class EmbeddingIT {

    @RegisterExtension
    static final TestServer SERVER = new TestServer(); // heartbeat 1 s: the server drops a client silent for 2 s

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void sharedEventLoopGroupSurvivesClientCloseAndServesTheNextClient() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            PushClient first = SERVER.client("shared-1", new Recorder())
                    .eventLoopGroup(group)
                    .build();
            first.connect().get(10, TimeUnit.SECONDS);
            first.publish("shared.c", "chat", bytes("one")).get(10, TimeUnit.SECONDS);
            first.close();

            assertThat(group.isShuttingDown())
                    .as("the application's group after close")
                    .isFalse();
            assertThat(group.submit(() -> "alive").get(5, TimeUnit.SECONDS)).isEqualTo("alive");
            assertClosed(first.publish("shared.c", "chat", bytes("late")));

            Recorder rx = new Recorder();
            try (PushClient second =
                    SERVER.client("shared-2", rx).eventLoopGroup(group).build()) {
                second.connect().get(10, TimeUnit.SECONDS);
                second.subscribe("shared.c").get(10, TimeUnit.SECONDS);
                second.publish("shared.c", "chat", bytes("two")).get(10, TimeUnit.SECONDS);
                Recorder.await("the second client's own message", WAIT, () -> rx.count("shared.c") == 1);
            }
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void eventLoopGroupThatIsNotNioIsRefused() {
        EventLoopGroup notIo = new io.netty.channel.DefaultEventLoopGroup(1);
        try {
            assertThatThrownBy(() -> PushClient.builder().eventLoopGroup(notIo))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NIO");
        } finally {
            notIo.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void listenerAndFuturesRunOnTheGivenExecutorInOrder() throws Exception {
        ExecutorService app = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
        ThreadRecorder rx = new ThreadRecorder();
        try (PushClient receiver =
                        SERVER.client("exec-rx", rx).callbackExecutor(app).build();
                PushClient publisher = SERVER.client("exec-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.join("exec.room").get(10, TimeUnit.SECONDS);

            // While the application's thread is busy, no answer can be handed over: the future's next stage
            // is attached before it completes, so it runs where the client completes it.
            CountDownLatch busy = new CountDownLatch(1);
            app.execute(() -> await(busy));
            CompletableFuture<String> completedOn = receiver.history("exec.room", 0, 10)
                    .thenApply(h -> Thread.currentThread().getName());
            busy.countDown();
            assertThat(completedOn.get(10, TimeUnit.SECONDS)).isEqualTo("app-callbacks");

            for (int i = 1; i <= 20; i++) {
                publisher.publish("exec.room", "chat", bytes("m" + i)).get(10, TimeUnit.SECONDS);
            }
            Recorder.await("20 messages", WAIT, () -> rx.count("exec.room") == 20);
            rx.assertExactlyOnceInOrder("exec.room", 20);
            assertThat(rx.threads).as("threads of every callback").isNotEmpty().containsOnly("app-callbacks");
        } finally {
            app.shutdown();
            assertThat(app.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void listenerThatThrowsStopsNeitherDeliveryNorHeartbeats() throws Exception {
        ThrowingRecorder rx = new ThrowingRecorder();
        try (PushClient receiver = SERVER.client("throw-rx", rx).build();
                PushClient publisher = SERVER.client("throw-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.join("throw.room").get(10, TimeUnit.SECONDS);

            for (int i = 1; i <= 10; i++) {
                publisher.publish("throw.room", "chat", bytes("m" + i)).get(10, TimeUnit.SECONDS);
            }
            Recorder.await("10 messages", WAIT, () -> rx.count("throw.room") == 10);

            // The receiver sends nothing but pings: were they stopped, the server would drop it as idle after 2 s.
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < until) {
                assertThat(receiver.state()).as("receiver state").isEqualTo(ConnectionState.CONNECTED);
                Thread.sleep(50);
            }
            publisher.publish("throw.room", "chat", bytes("m11")).get(10, TimeUnit.SECONDS);
            Recorder.await("the 11th message", WAIT, () -> rx.count("throw.room") == 11);

            rx.assertExactlyOnceInOrder("throw.room", 11);
            assertThat(rx.joins).isEqualTo(1);
            assertThat(rx.states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
        }
    }

    @Test
    void closeTwiceIsFineAndLaterCallsFailTheirFutures() throws Exception {
        Recorder rx = new Recorder();
        PushClient client = SERVER.client("close-twice", rx).build();
        client.connect().get(10, TimeUnit.SECONDS);
        client.join("close.room").get(10, TimeUnit.SECONDS);

        client.close();
        client.close();

        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertClosed(client.publish("close.room", "chat", bytes("late")));
        assertClosed(client.join("close.room"));
        assertClosed(client.subscribe("close.other"));
        assertClosed(client.connect());
        assertThat(rx.states).endsWith(ConnectionState.CLOSED);
    }

    @Test
    void closeFromACallbackOnTheExecutorReturnsAndLaterCallsFail() throws Exception {
        ExecutorService app = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks"));
        try {
            PushClient client = SERVER.client("close-cb", new Recorder())
                    .callbackExecutor(app)
                    .build();
            CompletableFuture<RoomJoined> later = client.connect().thenCompose(c -> {
                client.close();
                return client.join("close.cb");
            });
            assertClosed(later);
            assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        } finally {
            app.shutdown();
            assertThat(app.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static void assertClosed(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(PushException.class)
                .hasMessageContaining("client closed");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records the thread of every callback. */
    private static final class ThreadRecorder extends Recorder {
        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, Message message) {
            threads.add(Thread.currentThread().getName());
            super.onMessage(channel, message);
        }

        @Override
        public void onJoined(RoomJoined joined) {
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void onConnectionState(ConnectionState state) {
            threads.add(Thread.currentThread().getName());
            super.onConnectionState(state);
        }
    }

    /** Records, then throws from every callback. */
    private static final class ThrowingRecorder extends Recorder {
        volatile int joins;

        @Override
        public void onMessage(String channel, Message message) {
            super.onMessage(channel, message);
            throw new IllegalStateException("listener bug on message " + message.getSeq());
        }

        @Override
        public void onJoined(RoomJoined joined) {
            joins++;
            throw new IllegalStateException("listener bug on join");
        }

        @Override
        public void onConnectionState(ConnectionState state) {
            super.onConnectionState(state);
            throw new IllegalStateException("listener bug on " + state);
        }

        @Override
        public void onError(Throwable error) {
            super.onError(error);
            throw new IllegalStateException("listener bug on error");
        }
    }
}
