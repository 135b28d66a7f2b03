package io.livepush.server.it;

import static io.livepush.server.it.Seqs.position;
import static io.livepush.server.it.Seqs.range;
import static io.livepush.server.it.Seqs.seqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.Background;
import io.livepush.proto.v1.ChannelResumed;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Foreground;
import io.livepush.proto.v1.Foregrounded;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Background mode: a backgrounded connection stays in its room and presence and gets nothing; on
 * foreground it gets, per channel, exactly what it missed (as a resume) and the room's current applets.
 */
class BackgroundIT {
    /** Small pages, so a foreground's replay spans many and races with live messages. */
    @RegisterExtension
    static final PushServerExtension server =
            new PushServerExtension(b -> b.replayPageSize(16).retentionMaxMessages(100_000));

    private final AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);

    @Test
    void backgroundedMemberGetsNothingWhileAThousandArePublishedThenExactlyThoseOnForeground() throws Exception {
        String room = "bg.room";
        String inbox = "bg.inbox";
        try (TestClient viewer = server.connect("bg-viewer");
                TestClient witness = server.connect("bg-witness");
                TestClient pub = server.connect("bg-pub")) {
            String epoch = pub.publish(room, "before").getPublished().getEpoch();
            String inboxEpoch = pub.publish(inbox, "before").getPublished().getEpoch();
            RoomJoined joined = viewer.join(room).getJoined();
            assertThat(viewer.subscribe(inbox).hasSubscribed()).isTrue();
            assertThat(witness.join(room).getJoined().getMembers()).isEqualTo(2);

            assertThat(viewer.request(background()).hasBackgrounded()).isTrue();
            assertThat(members(room))
                    .as("presence keeps the backgrounded member")
                    .isEqualTo(2);

            publishFast(pub, room, 1_000);
            pub.publish(inbox, "missed inbox");
            assertThat(applet(room, "wheel", "spun while away")).isEqualTo(1);
            // Everything reached this node's fan-out: the witness has it all.
            assertThat(witness.messages(room, 1_000))
                    .last()
                    .extracting(Message::getSeq)
                    .isEqualTo(1_001L);
            viewer.assertNoMoreMessages();
            try (TestClient late = server.connect("bg-late")) {
                assertThat(late.join(room).getJoined().getMembers())
                        .as("RoomJoined.members counts the backgrounded member")
                        .isEqualTo(3);
            }

            awaitMembers(room, 2); // the late one closed
            ServerFrame answer = viewer.request(foreground(Map.of(
                    room, position(epoch, joined.getLastSeq()),
                    inbox, position(inboxEpoch, 1))));
            Foregrounded fg = answer.getForegrounded();
            assertThat(fg.getChannelsList())
                    .extracting(ChannelResumed::getChannel, ChannelResumed::getRecovered, ChannelResumed::getReplayed)
                    .containsExactly(tuple(room, true, 1_000), tuple(inbox, true, 1));
            assertThat(fg.getChannels(0).getRoom()).isTrue();
            assertThat(fg.getChannels(0).getMembers()).isEqualTo(2);
            assertThat(fg.getAppletsList())
                    .extracting(AppletState::getAppletId, a -> a.getContent().toStringUtf8())
                    .containsExactly(tuple("wheel", "spun while away"));

            List<Message> replayed = viewer.messages(room, 1_000);
            assertThat(seqs(replayed)).containsExactlyElementsOf(range(2, 1_001));
            assertThat(replayed.get(0).getPayload().toStringUtf8()).isEqualTo("m1");
            assertThat(viewer.messages(inbox, 1).get(0).getPayload().toStringUtf8())
                    .isEqualTo("missed inbox");
            assertThat(members(room)).isEqualTo(2);

            pub.publish(room, "live again");
            assertThat(viewer.messages(room, 1).get(0).getSeq()).isEqualTo(1_002);
            viewer.assertNoMoreMessages();
        }
    }

    @Test
    void liveMessagesRacingWithForegroundReplaysAreNeitherLostNorDoubled() throws Exception {
        String room = "bg.race";
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicReference<Throwable> publisherFailure = new AtomicReference<>();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch publisherDone = new CountDownLatch(1);
        List<Long> seen = new ArrayList<>();
        try (TestClient pub = server.connect("bg-race-pub");
                TestClient viewer = server.connect("bg-racer")) {
            String epoch = pub.publish(room, "first").getPublished().getEpoch();
            viewer.join(room, position(epoch, 0));
            Thread publisher = new Thread(
                    () -> {
                        try {
                            while (running.get() && sent.get() < 60_000) {
                                int id = 0;
                                for (int i = 0; i < 128; i++) {
                                    id = pub.send(publishFrame(room, "t" + sent.incrementAndGet()));
                                }
                                int lastOfWindow = id;
                                pub.skipUntil(f -> f.getReplyTo() == lastOfWindow);
                            }
                        } catch (Throwable t) {
                            publisherFailure.set(t);
                        } finally {
                            publisherDone.countDown();
                        }
                    },
                    "bg-publisher");
            publisher.start();
            try {
                for (int cycle = 0; cycle < 8; cycle++) {
                    // Read on into the replay or the live stream, then away and back again.
                    for (Message m : viewer.messages(room, 29 + cycle * 97)) {
                        seen.add(m.getSeq());
                    }
                    viewer.request(background());
                    // What was written before the answer is the client's too: its position is exact.
                    ServerFrame f;
                    while ((f = viewer.poll(Duration.ZERO)) != null) {
                        if (f.hasMessage()) {
                            seen.add(f.getMessage().getSeq());
                        }
                    }
                    Position since = position(epoch, seen.get(seen.size() - 1));
                    Foregrounded fg =
                            viewer.request(foreground(Map.of(room, since))).getForegrounded();
                    assertThat(publisherDone.getCount())
                            .as("the publisher still runs at foreground %d", cycle)
                            .isOne();
                    assertThat(fg.getChannels(0).getRecovered()).isTrue();
                }
            } finally {
                running.set(false);
                assertThat(publisherDone.await(10, TimeUnit.SECONDS))
                        .as("publisher stopped")
                        .isTrue();
            }
            assertThat(publisherFailure.get()).isNull();
            long last = pub.publish(room, "last").getPublished().getSeq();
            while (seen.get(seen.size() - 1) < last) {
                seen.add(viewer.messages(room, 1).get(0).getSeq());
            }
            assertThat(seen)
                    .as("every seq once, in order, across 8 foregrounds")
                    .containsExactlyElementsOf(range(1, last));
            viewer.assertNoMoreMessages();
        }
    }

    @Test
    void aBackgroundedMemberCountsInPresenceUntilItLeavesOrCloses() throws Exception {
        String room = "bg.presence";
        try (TestClient stays = server.connect("bg-stays")) {
            stays.join(room);
            try (TestClient leaver = server.connect("bg-leaver");
                    TestClient closer = server.connect("bg-closer")) {
                leaver.join(room);
                closer.join(room);
                leaver.request(background());
                closer.request(background());
                assertThat(members(room)).isEqualTo(3);

                ServerFrame left = leaver.request(
                        ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom(room)));
                assertThat(left.getLeft().getRoom()).isEqualTo(room);
                assertThat(members(room)).isEqualTo(2);
            }
            awaitMembers(room, 1); // the closer's connection is gone
            assertThat(stays.request(background()).hasBackgrounded()).isTrue();
            assertThat(members(room)).isEqualTo(1);
        }
        awaitMembers(room, 0);
    }

    @Test
    void joinSwitchAndSubscribeWaitForTheForegroundAndBadPositionsAreRefused() throws Exception {
        String room = "bg.refused";
        try (TestClient viewer = server.connect("bg-refused");
                TestClient pub = server.connect("bg-refused-pub")) {
            viewer.join(room);
            viewer.request(background());
            assertThat(viewer.join("bg.other").getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(viewer.switchRoom("bg.other").getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(viewer.subscribe("bg.other").getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            ServerFrame refused = viewer.request(foreground(Map.of("bg.other", position("e", 1))));
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(refused.getError().getMessage()).contains("not following bg.other");

            pub.publish(room, "still away");
            viewer.assertNoMoreMessages();
            Foregrounded fg = viewer.request(foreground(Map.of())).getForegrounded();
            assertThat(fg.getChannels(0).getRecovered())
                    .as("no position: the client reloads")
                    .isFalse();
            pub.publish(room, "back");
            assertThat(viewer.messages(room, 1).get(0).getPayload().toStringUtf8())
                    .isEqualTo("back");
            assertThat(viewer.join("bg.other").getError().getCode())
                    .as("one room at a time, as before")
                    .isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(viewer.subscribe("bg.other").hasSubscribed()).isTrue();
        }
    }

    @Test
    void foregroundWithoutBackgroundIsAnsweredAsAResume() throws Exception {
        String room = "bg.never-away";
        try (TestClient viewer = server.connect("bg-never-away");
                TestClient pub = server.connect("bg-never-away-pub")) {
            String epoch = pub.publish(room, "m1").getPublished().getEpoch();
            Subscribed sub = viewer.subscribe(room).getSubscribed();
            pub.publish(room, "m2");
            pub.publish(room, "m3");
            assertThat(seqs(viewer.messages(room, 2))).containsExactly(2L, 3L);

            Foregrounded fg = viewer.request(foreground(Map.of(room, position(epoch, sub.getLastSeq()))))
                    .getForegrounded();
            assertThat(fg.getChannels(0).getRecovered()).isTrue();
            assertThat(fg.getChannels(0).getReplayed()).isEqualTo(2);
            assertThat(fg.getChannels(0).getRoom()).isFalse();
            assertThat(seqs(viewer.messages(room, 2))).containsExactly(2L, 3L);
            pub.publish(room, "m4");
            assertThat(seqs(viewer.messages(room, 1))).containsExactly(4L);
            viewer.assertNoMoreMessages();
            assertThat(members(room, "subscribers")).isEqualTo(1);
        }
    }

    private static ClientFrame.Builder background() {
        return ClientFrame.newBuilder().setBackground(Background.getDefaultInstance());
    }

    private static ClientFrame.Builder foreground(Map<String, Position> since) {
        return ClientFrame.newBuilder().setForeground(Foreground.newBuilder().putAllSince(since));
    }

    private static ClientFrame.Builder publishFrame(String channel, String text) {
        return ClientFrame.newBuilder()
                .setPublish(Publish.newBuilder()
                        .setChannel(channel)
                        .setKind("chat")
                        .setPayload(ByteString.copyFrom(text, StandardCharsets.UTF_8)));
    }

    /** Pipelined "m1".."mN", then waits for the last acknowledgement. */
    private static void publishFast(TestClient pub, String channel, int n) {
        int lastId = 0;
        for (int i = 1; i <= n; i++) {
            lastId = pub.send(publishFrame(channel, "m" + i));
        }
        int id = lastId;
        assertThat(pub.await(f -> f.getReplyTo() == id).hasPublished()).isTrue();
    }

    private long applet(String room, String appletId, String text) {
        AdminClient.Reply reply = admin.put(
                "/api/v1/rooms/" + room + "/applets/" + appletId,
                AdminClient.object().put("text", text));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path("version").asLong();
    }

    private long members(String channel) {
        return members(channel, "members");
    }

    private long members(String channel, String field) {
        AdminClient.Reply reply = admin.get("/api/v1/channels/" + channel);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().path(field).asLong();
    }

    /** Presence after a close changes once the server noticed it: polled, with a deadline. */
    private void awaitMembers(String channel, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        long now = -1;
        while (System.nanoTime() < deadline) {
            AdminClient.Reply reply = admin.get("/api/v1/channels/" + channel);
            now = reply.status() == 404 ? 0 : reply.json().path("members").asLong();
            if (now == expected) {
                return;
            }
            Thread.sleep(20); // polling the admin API with a deadline
        }
        throw new AssertionError(channel + " has " + now + " members, not " + expected);
    }
}
