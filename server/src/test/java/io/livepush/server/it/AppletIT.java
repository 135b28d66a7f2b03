package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AppletIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    private static AdminClient api() {
        return new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
    }

    @Test
    void updatesFromTcpAndApiArePushedToMembersAndSubscribersInOrder() throws Exception {
        try (TestClient member = server.connect("m1");
                TestClient subscriber = server.connect("s1");
                TestClient writer = server.connect("w1")) {
            assertThat(member.join("applet.push").getJoined().getAppletsList()).isEmpty();
            assertThat(subscriber.subscribe("applet.push").hasSubscribed()).isTrue();

            for (int i = 1; i <= 3; i++) {
                ServerFrame ack = writer.appletUpdate("applet.push", "wheel", "tcp" + i, 0);
                assertThat(ack.getApplets().getStatesList())
                        .extracting(AppletState::getVersion)
                        .containsExactly((long) i);
            }
            for (int i = 4; i <= 5; i++) {
                AdminClient.Reply reply = api().put(
                                "/api/v1/rooms/applet.push/applets/wheel",
                                AdminClient.object().put("text", "api" + i));
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.json().get("version").asLong()).isEqualTo(i);
                assertThat(reply.json().get("room").asText()).isEqualTo("applet.push");
                assertThat(reply.json().get("applet_id").asText()).isEqualTo("wheel");
            }

            for (TestClient c : List.of(member, subscriber)) {
                List<AppletState> got = pushes(c, "wheel", 5);
                assertThat(got).extracting(AppletState::getVersion).containsExactly(1L, 2L, 3L, 4L, 5L);
                assertThat(got)
                        .extracting(s -> s.getContent().toStringUtf8())
                        .containsExactly("tcp1", "tcp2", "tcp3", "api4", "api5");
                assertThat(got).allSatisfy(s -> {
                    assertThat(s.getRoom()).isEqualTo("applet.push");
                    assertThat(s.getUpdatedMs()).isPositive();
                });
            }
            assertThat(writer.poll(Duration.ofMillis(100)))
                    .as("the writer follows nothing")
                    .isNull();
        }
    }

    @Test
    void joinAndSwitchCarryEveryCurrentApplet() throws Exception {
        api().put("/api/v1/rooms/applet.a/applets/vote", AdminClient.object().put("text", "v1"));
        api().put("/api/v1/rooms/applet.a/applets/vote", AdminClient.object().put("text", "v2"));
        api().put("/api/v1/rooms/applet.a/applets/wheel", AdminClient.object().put("content", "AQID"));
        api().put("/api/v1/rooms/applet.b/applets/quiz", AdminClient.object().put("text", "q"));

        try (TestClient c = server.connect("j1")) {
            RoomJoined a = c.join("applet.a").getJoined();
            assertThat(a.getAppletsList())
                    .extracting(AppletState::getAppletId, AppletState::getVersion)
                    .containsExactly(tuple("vote", 2L), tuple("wheel", 1L));
            assertThat(a.getApplets(0).getContent().toStringUtf8()).isEqualTo("v2");
            assertThat(a.getApplets(1).getContent().toByteArray()).containsExactly(1, 2, 3);

            RoomJoined b = c.switchRoom("applet.b").getJoined();
            assertThat(b.getPrevious()).isEqualTo("applet.a");
            assertThat(b.getAppletsList()).extracting(AppletState::getAppletId).containsExactly("quiz");

            RoomJoined empty = c.switchRoom("applet.none").getJoined();
            assertThat(empty.getAppletsList()).isEmpty();
        }
        JsonNode list = api().get("/api/v1/rooms/applet.a/applets").json();
        assertThat(list.get("room").asText()).isEqualTo("applet.a");
        assertThat(list.get("applets")).hasSize(2);
        assertThat(list.get("applets").get(0).get("applet_id").asText()).isEqualTo("vote");
        assertThat(list.get("applets").get(0).get("version").asLong()).isEqualTo(2);
        assertThat(list.get("applets").get(1).get("content").asText()).isEqualTo("AQID");
        assertThat(list.get("applets").get(1).get("updated_ms").asLong()).isPositive();
        assertThat(api().get("/api/v1/rooms/applet.nothing/applets").json().get("applets"))
                .isEmpty();
    }

    @Test
    void appletSyncAnswersOnlyWhatIsNewerThanKnownVersion() throws Exception {
        try (TestClient c = server.connect("y1")) {
            for (int i = 0; i < 3; i++) {
                c.appletUpdate("applet.sync", "hot", "h" + i, 0);
            }
            c.appletUpdate("applet.sync", "cold", "c", 0);

            assertThat(versions(c.appletSync("applet.sync", "", 0))).containsExactly("cold@1", "hot@3");
            assertThat(versions(c.appletSync("applet.sync", "", 1))).containsExactly("hot@3");
            assertThat(versions(c.appletSync("applet.sync", "", 3))).isEmpty();
            assertThat(versions(c.appletSync("applet.sync", "hot", 2))).containsExactly("hot@3");
            assertThat(versions(c.appletSync("applet.sync", "cold", 0))).containsExactly("cold@1");
            assertThat(versions(c.appletSync("applet.sync", "missing", 0))).isEmpty();
            assertThat(c.appletSync("applet.sync", "", 0).getApplets().getRoom())
                    .isEqualTo("applet.sync");
            assertThat(c.appletSync("applet.sync", "bad/id", 0).getError().getCode())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void appletSyncIsOpenToReadersOnly() throws Exception {
        api().put("/api/v1/rooms/applet.read/applets/vote", AdminClient.object().put("text", "x"));
        for (Operation op : List.of(Operation.JOIN, Operation.SUBSCRIBE, Operation.HISTORY, Operation.APPLET)) {
            try (TestClient c = connectWith("r-" + op.wireName(), "applet.read", EnumSet.of(op))) {
                assertThat(versions(c.appletSync("applet.read", "", 0)))
                        .as(op.wireName())
                        .containsExactly("vote@1");
            }
        }
        try (TestClient c = connectWith("r-publish", "applet.read", EnumSet.of(Operation.PUBLISH))) {
            assertThat(c.appletSync("applet.read", "", 0).getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
        }
    }

    @Test
    void updateWithoutTheAppletCapIsForbidden() throws Exception {
        EnumSet<Operation> allButApplet = EnumSet.complementOf(EnumSet.of(Operation.APPLET));
        try (TestClient c = connectWith("f1", "applet.*", allButApplet);
                TestClient other = connectWith("f2", "elsewhere.*", EnumSet.allOf(Operation.class))) {
            assertThat(c.appletUpdate("applet.cap", "vote", "x", 0).getError().getCode())
                    .isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(other.appletUpdate("applet.cap", "vote", "x", 0)
                            .getError()
                            .getCode())
                    .isEqualTo(ErrorCode.FORBIDDEN);
        }
        assertThat(api().get("/api/v1/rooms/applet.cap/applets").json().get("applets"))
                .isEmpty();
    }

    @Test
    void staleExpectedVersionIsAConflictOverTcpAndHttp() throws Exception {
        try (TestClient c = server.connect("v1")) {
            assertThat(c.appletUpdate("applet.cas", "vote", "a", 0)
                            .getApplets()
                            .getStates(0)
                            .getVersion())
                    .isEqualTo(1);
            assertThat(c.appletUpdate("applet.cas", "vote", "b", 1)
                            .getApplets()
                            .getStates(0)
                            .getVersion())
                    .isEqualTo(2);

            ServerFrame stale = c.appletUpdate("applet.cas", "vote", "c", 1);
            assertThat(stale.getError().getCode()).isEqualTo(ErrorCode.VERSION_CONFLICT);
            assertThat(stale.getError().getFatal()).isFalse();

            AdminClient.Reply conflict = api().put(
                            "/api/v1/rooms/applet.cas/applets/vote",
                            AdminClient.object().put("text", "d").put("expected_version", 5));
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.json().get("error").get("code").asText()).isEqualTo("VERSION_CONFLICT");

            AdminClient.Reply ok = api().put(
                            "/api/v1/rooms/applet.cas/applets/vote",
                            AdminClient.object().put("text", "e").put("expected_version", 2));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.json().get("version").asLong()).isEqualTo(3);

            ServerFrame neverSet = c.appletUpdate("applet.cas", "fresh", "x", 1);
            assertThat(neverSet.getError().getCode())
                    .as("a new applet is at version 0")
                    .isEqualTo(ErrorCode.VERSION_CONFLICT);
            assertThat(versions(c.appletSync("applet.cas", "", 0))).containsExactly("vote@3");
        }
    }

    @Test
    void badIdsAndOversizedContentAreRefused() throws Exception {
        try (TestClient c = server.connect("b1")) {
            assertThat(c.appletUpdate("applet.bad", "", "x", 0).getError().getCode())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(c.appletUpdate("applet.bad", "x".repeat(65), "x", 0)
                            .getError()
                            .getCode())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(c.appletUpdate("bad room", "vote", "x", 0).getError().getCode())
                    .isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(c.appletUpdate("applet.bad", "vote", "x".repeat(32 * 1024 + 1), 0)
                            .getError()
                            .getCode())
                    .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(c.appletUpdate("applet.bad", "x".repeat(64), "x".repeat(32 * 1024), 0)
                            .hasApplets())
                    .isTrue();
        }
    }

    @Test
    void aRoomHoldsManyApplets() throws Exception {
        int n = 200;
        try (TestClient writer = server.connect("n1")) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(writer.send(
                        TestClient.appletUpdateFrame("applet.many", String.format("a%03d", i), "s" + i, 0)));
            }
            for (int id : ids) {
                assertThat(writer.await(f -> f.getReplyTo() == id).hasApplets()).isTrue();
            }
        }
        try (TestClient reader = server.connect("n2")) {
            RoomJoined joined = reader.join("applet.many").getJoined();
            assertThat(joined.getAppletsList()).hasSize(n);
            for (int i = 0; i < n; i++) {
                assertThat(joined.getApplets(i).getAppletId()).isEqualTo(String.format("a%03d", i));
                assertThat(joined.getApplets(i).getContent().toStringUtf8()).isEqualTo("s" + i);
            }
        }
    }

    @Test
    void updatesInterleavedWithMessagesKeepTheirOrder() throws Exception {
        int rounds = 300;
        try (TestClient member = server.connect("o1");
                TestClient writer = server.connect("o2");
                TestClient other = server.connect("o3")) {
            member.join("applet.order");
            // One connection alternates publish and update without waiting: its frames reach the room's
            // home in that order, so the member must see m1, v1, m2, v2 … exactly.
            for (int i = 1; i <= rounds; i++) {
                writer.send(ClientFrame.newBuilder()
                        .setPublish(Publish.newBuilder()
                                .setChannel("applet.order")
                                .setKind("chat")
                                .setPayload(ByteString.copyFromUtf8("m" + i))));
                writer.send(TestClient.appletUpdateFrame("applet.order", "seq", "v" + i, 0));
            }
            List<String> seen = new ArrayList<>();
            while (seen.size() < 2 * rounds) {
                ServerFrame f = member.await(x -> x.hasMessage() || x.hasApplet());
                seen.add(
                        f.hasMessage()
                                ? "m" + f.getMessage().getSeq()
                                : "v" + f.getApplet().getVersion());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= rounds; i++) {
                expected.add("m" + i);
                expected.add("v" + i);
            }
            assertThat(seen).containsExactlyElementsOf(expected);

            // Two writers racing on one applet: the member still sees versions strictly increasing.
            for (int i = 0; i < rounds; i++) {
                writer.send(TestClient.appletUpdateFrame("applet.order", "race", "w", 0));
                other.send(TestClient.appletUpdateFrame("applet.order", "race", "o", 0));
            }
            List<AppletState> race = pushes(member, "race", 2 * rounds);
            assertThat(race)
                    .extracting(AppletState::getVersion)
                    .isSorted()
                    .doesNotHaveDuplicates()
                    .startsWith(1L)
                    .endsWith((long) 2 * rounds);
        }
    }

    @Test
    void statesSurviveARestart() throws Exception {
        try (TestClient c = server.connect("p1")) {
            c.appletUpdate("applet.restart", "wheel", "w1", 0);
            c.appletUpdate("applet.restart", "wheel", "w2", 0);
            c.appletUpdate("applet.restart", "vote", "v1", 0);
        }
        server.stop();
        server.start();
        try (TestClient c = server.connect("p2")) {
            RoomJoined joined = c.join("applet.restart").getJoined();
            assertThat(joined.getAppletsList())
                    .extracting(s -> s.getAppletId() + "@" + s.getVersion() + "="
                            + s.getContent().toStringUtf8())
                    .containsExactly("vote@1=v1", "wheel@2=w2");
            assertThat(c.appletUpdate("applet.restart", "wheel", "w3", 2)
                            .getApplets()
                            .getStates(0)
                            .getVersion())
                    .isEqualTo(3);
        }
    }

    private static List<AppletState> pushes(TestClient c, String appletId, int n) {
        List<AppletState> got = new ArrayList<>(n);
        while (got.size() < n) {
            ServerFrame f =
                    c.await(x -> x.hasApplet() && x.getApplet().getAppletId().equals(appletId));
            assertThat(f.getReplyTo()).isZero();
            got.add(f.getApplet());
        }
        return got;
    }

    private static List<String> versions(ServerFrame answer) {
        assertThat(answer.hasApplets()).as("answer %s", answer).isTrue();
        return answer.getApplets().getStatesList().stream()
                .map(s -> s.getAppletId() + "@" + s.getVersion())
                .toList();
    }

    private static TestClient connectWith(String user, String pattern, Set<Operation> allow) throws Exception {
        TestClient c = TestClient.open(server.tcpAddress());
        c.connect(server.token(user, Duration.ofHours(1), List.of(new Capability(List.of(pattern), allow))));
        return c;
    }
}
