package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Unsubscribe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RoomIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    @Test
    void membersReceiveEveryMessageInOrderWithPresence() throws Exception {
        try (TestClient a = server.connect("a1");
                TestClient b = server.connect("b1")) {
            ServerFrame first = a.join("room.order");
            assertThat(first.getJoined().getMembers()).isEqualTo(1);
            assertThat(first.getJoined().getEpoch()).isNotEmpty();
            assertThat(b.join("room.order").getJoined().getMembers()).isEqualTo(2);

            for (int i = 1; i <= 50; i++) {
                ServerFrame ack = a.publish("room.order", "m" + i);
                assertThat(ack.getPublished().getSeq()).isEqualTo(i);
            }
            for (TestClient c : List.of(a, b)) {
                List<Message> got = c.messages("room.order", 50);
                for (int i = 0; i < 50; i++) {
                    assertThat(got.get(i).getSeq()).isEqualTo(i + 1);
                    assertThat(got.get(i).getPayload().toStringUtf8()).isEqualTo("m" + (i + 1));
                    assertThat(got.get(i).getPublisher()).isEqualTo("a1");
                }
            }
        }
    }

    @Test
    void leaveStopsDeliveryAndUpdatesPresence() throws Exception {
        try (TestClient a = server.connect("a2");
                TestClient b = server.connect("b2")) {
            a.join("room.leave");
            b.join("room.leave");
            ServerFrame left = b.request(
                    ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom("room.leave")));
            assertThat(left.getLeft().getRoom()).isEqualTo("room.leave");
            ServerFrame again = b.request(
                    ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom("room.leave")));
            assertThat(again.getError().getCode()).isEqualTo(ErrorCode.NOT_IN_ROOM);

            a.publish("room.leave", "after");
            assertThat(a.messages("room.leave", 1).get(0).getPayload().toStringUtf8())
                    .isEqualTo("after");
            ServerFrame ping = b.request(ClientFrame.newBuilder().setPing(io.livepush.proto.v1.Ping.newBuilder()));
            assertThat(ping.hasPong()).isTrue();
            assertThat(b.poll(Duration.ofMillis(200)))
                    .as("nothing after leaving")
                    .isNull();
            try (TestClient c = server.connect("c2")) {
                assertThat(c.join("room.leave").getJoined().getMembers()).isEqualTo(2);
            }
        }
    }

    @Test
    void joinWhileInARoomAsksForSwitch() throws Exception {
        try (TestClient a = server.connect("a3")) {
            a.join("room.one");
            ServerFrame f = a.join("room.two");
            assertThat(f.getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(f.getError().getMessage()).contains("switch_room");
        }
    }

    @Test
    void switchMovesPresenceAndReportsPrevious() throws Exception {
        try (TestClient a = server.connect("a4");
                TestClient watcher = server.connect("w4")) {
            watcher.join("room.src");
            a.join("room.src");
            ServerFrame joined = a.switchRoom("room.dst");
            assertThat(joined.getJoined().getRoom()).isEqualTo("room.dst");
            assertThat(joined.getJoined().getPrevious()).isEqualTo("room.src");
            assertThat(joined.getJoined().getMembers()).isEqualTo(1);
            assertThat(server.server().metrics().scrape()).contains("push_rooms");
        }
    }

    @Test
    void failedSwitchLeavesTheClientInTheOldRoom() throws Exception {
        try (TestClient a = TestClient.open(server.tcpAddress());
                TestClient pub = server.connect("p5")) {
            a.connect(server.token(
                    "a5",
                    Duration.ofHours(1),
                    List.of(new io.livepush.server.auth.Capability(
                            List.of("open.*"), java.util.Set.of(io.livepush.server.auth.Operation.JOIN)))));
            a.join("open.a");
            ServerFrame denied = a.switchRoom("closed.b");
            assertThat(denied.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            pub.publish("open.a", "still here");
            assertThat(a.messages("open.a", 1).get(0).getPayload().toStringUtf8())
                    .isEqualTo("still here");
        }
    }

    @Test
    void switchUnderLoadDeliversNothingFromOldRoomAfterJoined() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        try (TestClient hopper = server.connect("hopper");
                TestClient pub = server.connect("pub6")) {
            hopper.join("load.a");
            Thread publisher = new Thread(() -> {
                int i = 0;
                while (running.get()) {
                    pub.send(ClientFrame.newBuilder()
                            .setPublish(Publish.newBuilder()
                                    .setChannel(i++ % 2 == 0 ? "load.a" : "load.b")
                                    .setKind("tick")));
                }
            });
            publisher.start();
            try {
                String current = "load.a";
                for (int hop = 0; hop < 20; hop++) {
                    String next = current.equals("load.a") ? "load.b" : "load.a";
                    int id = hopper.send(ClientFrame.newBuilder()
                            .setSwitchRoom(
                                    io.livepush.proto.v1.SwitchRoom.newBuilder().setRoom(next)));
                    String old = current;
                    // Old-room messages may arrive until `joined`; none after it.
                    hopper.skipUntil(f -> f.getReplyTo() == id && f.hasJoined());
                    ServerFrame f;
                    int seen = 0;
                    while (seen < 20 && (f = hopper.poll(Duration.ofSeconds(5))) != null) {
                        if (f.hasMessage()) {
                            assertThat(f.getMessage().getChannel())
                                    .as("after joined %s", next)
                                    .isNotEqualTo(old);
                            seen++;
                        }
                    }
                    assertThat(seen)
                            .as("live messages of %s after joined", next)
                            .isEqualTo(20);
                    current = next;
                }
            } finally {
                running.set(false);
                publisher.join();
            }
        }
    }

    @Test
    void subscriptionsDeliverBesideTheRoomWithoutPresence() throws Exception {
        try (TestClient a = server.connect("a7");
                TestClient api = server.connect("api7")) {
            a.join("room.seven");
            ServerFrame sub = a.subscribe("user.a7");
            assertThat(sub.getSubscribed().getChannel()).isEqualTo("user.a7");
            assertThat(a.subscribe("user.a7").getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(a.subscribe("room.seven").getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            api.publish("user.a7", "inbox");
            assertThat(a.messages("user.a7", 1).get(0).getPayload().toStringUtf8())
                    .isEqualTo("inbox");
            ServerFrame un = a.request(ClientFrame.newBuilder()
                    .setUnsubscribe(Unsubscribe.newBuilder().setChannel("user.a7")));
            assertThat(un.getUnsubscribed().getChannel()).isEqualTo("user.a7");
            try (TestClient b = server.connect("b7")) {
                assertThat(b.join("room.seven").getJoined().getMembers())
                        .as("subscribers are not presence")
                        .isEqualTo(2);
            }
        }
    }

    @Test
    void idempotentPublishIsStoredOnce() throws Exception {
        try (TestClient a = server.connect("a8")) {
            a.join("room.idem");
            ClientFrame.Builder p = ClientFrame.newBuilder()
                    .setPublish(Publish.newBuilder()
                            .setChannel("room.idem")
                            .setKind("gift")
                            .setIdempotencyKey("order-1"));
            ServerFrame first = a.request(p.clone());
            ServerFrame retry = a.request(p.clone());
            assertThat(retry.getPublished()).isEqualTo(first.getPublished());
            ServerFrame other = a.publish("room.idem", "next");
            assertThat(other.getPublished().getSeq())
                    .isEqualTo(first.getPublished().getSeq() + 1);
        }
    }

    @Test
    void anIdempotencyKeyOutlivesARestart() throws Exception {
        ClientFrame.Builder p = ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder()
                        .setChannel("room.idem.restart")
                        .setKind("gift")
                        .setIdempotencyKey("order-2"));
        ServerFrame first;
        try (TestClient a = server.connect("a9")) {
            first = a.request(p.clone());
        }
        server.stop();
        server.start();
        try (TestClient a = server.connect("a9")) {
            assertThat(a.request(p.clone()).getPublished())
                    .as("the retry's answer")
                    .isEqualTo(first.getPublished());
            assertThat(a.publish("room.idem.restart", "next").getPublished().getSeq())
                    .isEqualTo(first.getPublished().getSeq() + 1);
        }
    }

    @Test
    void pipelinedPublishesAreStoredInOrderAndRepeatedKeysOnce() throws Exception {
        try (TestClient member = server.connect("m9");
                TestClient pub = server.connect("p9")) {
            member.join("room.pipelined");
            // Sent back to back, so they queue up at the channel's home and are stored in batches.
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                ids.add(pub.send(ClientFrame.newBuilder()
                        .setPublish(Publish.newBuilder()
                                .setChannel("room.pipelined")
                                .setKind("chat")
                                .setIdempotencyKey("k-" + i / 3))));
            }
            for (int i = 0; i < ids.size(); i++) {
                int id = ids.get(i);
                long seq = pub.await(f -> f.getReplyTo() == id).getPublished().getSeq();
                assertThat(seq)
                        .as("publish %d: every third key repeats the first answer", i)
                        .isEqualTo(i / 3 + 1);
            }
            List<Message> got = member.messages("room.pipelined", 100);
            for (int i = 0; i < 100; i++) {
                assertThat(got.get(i).getSeq()).isEqualTo(i + 1);
            }
            assertThat(member.poll(Duration.ofMillis(200)))
                    .as("nothing stored twice")
                    .isNull();
        }
    }
}
