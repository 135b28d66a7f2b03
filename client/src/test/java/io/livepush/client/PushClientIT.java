package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client against a real server on loopback: every seq exactly once, in order, through failures. */
class PushClientIT {

    @RegisterExtension
    static final TestServer SERVER = new TestServer();

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Publishes n messages one after the other, each awaited; returns the acks' seqs. */
    private static List<Long> publish(PushClient publisher, String channel, int n, Runnable every50) throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            PublishAck ack = publisher.publish(channel, "chat", bytes("m" + i)).get(20, TimeUnit.SECONDS);
            seqs.add(ack.getSeq());
            if (i % 50 == 0) {
                every50.run();
            }
        }
        return seqs;
    }

    private static List<Long> oneTo(long n) {
        List<Long> l = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            l.add(s);
        }
        return l;
    }

    @Test
    void serverClosesTheSocketsMidStreamAndNothingIsLostOrDoubled() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient receiver = SERVER.client("kill-rx", rx).build();
                PushClient publisher = SERVER.client("kill-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.subscribe("kill.c1").get(10, TimeUnit.SECONDS);

            List<Long> acks = publish(publisher, "kill.c1", 300, () -> {
                SERVER.disconnect("kill-rx");
                SERVER.disconnect("kill-tx");
            });

            assertThat(acks).as("each publish stored once").containsExactlyElementsOf(oneTo(300));
            Recorder.await("300 messages", WAIT, () -> rx.count("kill.c1") >= 300);
            rx.assertExactlyOnceInOrder("kill.c1", 300);
            assertThat(rx.resets).isEmpty();
            assertThat(rx.states).contains(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void publishInFlightWhenTheConnectionDropsIsStoredOnce() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient receiver = SERVER.client("retry-rx", rx).build();
                PushClient publisher = SERVER.client("retry-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.subscribe("retry.c").get(10, TimeUnit.SECONDS);
            // Many publishes in flight at once, then the server drops the publisher: unanswered ones are resent.
            List<java.util.concurrent.CompletableFuture<PublishAck>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(publisher.publish("retry.c", "chat", bytes("p" + i)));
                if (i == 100) {
                    SERVER.disconnect("retry-tx");
                }
            }
            List<Long> seqs = new ArrayList<>();
            for (var f : futures) {
                seqs.add(f.get(20, TimeUnit.SECONDS).getSeq());
            }
            assertThat(seqs).doesNotHaveDuplicates().hasSize(200);
            assertThat(seqs).allMatch(s -> s >= 1 && s <= 200);
            Recorder.await("200 messages", WAIT, () -> rx.count("retry.c") >= 200);
            rx.assertExactlyOnceInOrder("retry.c", 200);
            assertThat(receiver.history("retry.c", 0, 1000)
                            .get(10, TimeUnit.SECONDS)
                            .getLastSeq())
                    .as("nothing stored twice")
                    .isEqualTo(200);
        }
    }

    @Test
    void wholeServerRestartsFromItsDataDirAndDeliveryResumes() throws Exception {
        Recorder rx = new Recorder();
        try (PushClient receiver = SERVER.client("restart-rx", rx).build();
                PushClient publisher =
                        SERVER.client("restart-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            RoomJoined joined = receiver.join("restart.room").get(10, TimeUnit.SECONDS);
            assertThat(joined.getLastSeq()).isZero();

            publish(publisher, "restart.room", 100, () -> {});
            Recorder.await("100 messages", WAIT, () -> rx.count("restart.room") >= 100);

            SERVER.restart();
            publish(publisher, "restart.room", 100, () -> {});

            Recorder.await("200 messages", WAIT, () -> rx.count("restart.room") >= 200);
            rx.assertExactlyOnceInOrder("restart.room", 200);
            assertThat(rx.resets).as("the store kept the history: no reset").isEmpty();
        }
    }

    @Test
    void switchingRoomsUnderLoadNeverMixesOrRepeats() throws Exception {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Recorder rx = new Recorder() {
            @Override
            public void onMessage(String channel, io.livepush.proto.v1.Message message) {
                super.onMessage(channel, message);
                events.add(channel + ":" + message.getSeq());
            }

            @Override
            public void onJoined(io.livepush.proto.v1.RoomJoined joined) {
                events.add("in " + joined.getRoom());
            }
        };
        try (PushClient receiver = SERVER.client("switch-rx", rx).build();
                PushClient publisher =
                        SERVER.client("switch-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.join("sw.a").get(10, TimeUnit.SECONDS);

            Thread load = new Thread(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        publisher.publish("sw.a", "x", bytes("a" + i)).get(20, TimeUnit.SECONDS);
                        publisher.publish("sw.b", "x", bytes("b" + i)).get(20, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            load.start();
            String[] rooms = {"sw.b", "sw.a"};
            for (int i = 0; i < 20; i++) {
                // onJoined marks the switch in order with deliveries (a thenRun on the future may run late, here).
                receiver.switchRoom(rooms[i % 2]).get(10, TimeUnit.SECONDS);
            }
            load.join(60_000);
            assertThat(load.isAlive()).isFalse();

            String current = null;
            java.util.Map<String, Long> last = new java.util.HashMap<>();
            String previousInRoom = null;
            for (String e : events) {
                if (e.startsWith("in ")) {
                    current = e.substring(3);
                    previousInRoom = null;
                    continue;
                }
                String channel = e.substring(0, e.indexOf(':'));
                long seq = Long.parseLong(e.substring(e.indexOf(':') + 1));
                assertThat(channel).as("a message of the room we are in").isEqualTo(current);
                Long before = last.get(channel);
                assertThat(before == null || seq > before)
                        .as("seq %s after %s on %s", seq, before, channel)
                        .isTrue();
                if (previousInRoom != null) {
                    assertThat(seq).as("no hole while in %s", channel).isEqualTo(Long.parseLong(previousInRoom) + 1);
                }
                previousInRoom = String.valueOf(seq);
                last.put(channel, seq);
            }
            assertThat(rx.count("sw.a") + rx.count("sw.b")).isPositive();
        }
    }

    @Test
    void shortLivedTokensAreRefreshedWithoutDroppingTheConnection() throws Exception {
        AtomicInteger minted = new AtomicInteger();
        Recorder rx = new Recorder();
        try (PushClient receiver = SERVER.client("refresh-rx", rx)
                        .tokenSupplier(() -> {
                            minted.incrementAndGet();
                            return SERVER.token("refresh-rx", Duration.ofSeconds(3));
                        })
                        .build();
                PushClient publisher =
                        SERVER.client("refresh-tx", new Recorder()).build()) {
            receiver.connect().get(10, TimeUnit.SECONDS);
            publisher.connect().get(10, TimeUnit.SECONDS);
            receiver.subscribe("refresh.c").get(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(7);
            int n = 0;
            while (System.nanoTime() < until) {
                publisher.publish("refresh.c", "x", bytes("r" + n)).get(20, TimeUnit.SECONDS);
                n++;
                Thread.sleep(20); // pacing the load, not synchronisation
            }
            int total = n;
            Recorder.await(total + " messages", WAIT, () -> rx.count("refresh.c") >= total);
            rx.assertExactlyOnceInOrder("refresh.c", total);
            assertThat(minted.get()).as("tokens minted (connect + refreshes)").isGreaterThanOrEqualTo(3);
            assertThat(rx.errors)
                    .as("no expiry")
                    .noneMatch(e -> e instanceof PushException pe && pe.code() == ErrorCode.TOKEN_EXPIRED);
            assertThat(rx.states).as("never dropped").doesNotContain(ConnectionState.DISCONNECTED);
        }
    }

    @Test
    void anErrorAnswerFailsTheFutureWithItsCode() throws Exception {
        List<Capability> onlyOwn = List.of(
                new Capability(List.of("own.*"), EnumSet.of(Operation.SUBSCRIBE, Operation.PUBLISH, Operation.JOIN)));
        try (PushClient client = SERVER.client("forbidden", new Recorder())
                .address("localhost", SERVER.tcpAddress().getPort()) // resolved by the client on connect
                .tokenSupplier(() -> SERVER.token("forbidden", Duration.ofHours(1), onlyOwn))
                .build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            assertThat(client.subscribe("own.ok").get(10, TimeUnit.SECONDS).getChannel())
                    .isEqualTo("own.ok");
            assertThatThrownBy(() -> client.subscribe("secret.room").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(PushException.class)
                    .satisfies(e -> assertThat(((PushException) e).code()).isEqualTo(ErrorCode.FORBIDDEN))
                    .hasMessageContaining("subscribe secret.room");
            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void aBadTokenFailsConnectAndClosesTheClient() throws Exception {
        try (PushClient client = SERVER.client("bad", new Recorder())
                .tokenSupplier(() -> "not.a.jwt")
                .build()) {
            assertThatThrownBy(() -> client.connect().get(10, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOf(PushException.class)
                    .satisfies(e -> assertThat(((PushException) e).code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
            Recorder.await("closed", WAIT, () -> client.state() == ConnectionState.CLOSED);
        }
    }

    @Test
    void appletAndDataSyncRequestsAreAnswered() throws Exception {
        List<io.livepush.proto.v1.AppletState> applets = new java.util.concurrent.CopyOnWriteArrayList<>();
        Recorder rx = new Recorder() {
            @Override
            public void onAppletState(io.livepush.proto.v1.AppletState state) {
                applets.add(state);
            }
        };
        try (PushClient client = SERVER.client("applet-user", rx).build()) {
            client.connect().get(10, TimeUnit.SECONDS);
            client.join("applet.room").get(10, TimeUnit.SECONDS);
            var updated = client.appletUpdate(io.livepush.proto.v1.AppletUpdate.newBuilder()
                            .setRoom("applet.room")
                            .setAppletId("wheel")
                            .setContent(com.google.protobuf.ByteString.copyFromUtf8("{}"))
                            .build())
                    .get(10, TimeUnit.SECONDS);
            assertThat(updated.getStatesList()).extracting(s -> s.getAppletId()).contains("wheel");
            Recorder.await("pushed applet state", WAIT, () -> !applets.isEmpty());
            assertThat(client.appletSync("applet.room", "", 0)
                            .get(10, TimeUnit.SECONDS)
                            .getStatesCount())
                    .isEqualTo(1);
            var sync = client.dataSync(io.livepush.proto.v1.DataSync.newBuilder()
                            .setSpace("space.applet-user")
                            .build())
                    .get(10, TimeUnit.SECONDS);
            assertThat(sync.getSpace()).isEqualTo("space.applet-user");
        }
    }
}
