package io.livepush.server.it;

import static io.livepush.server.it.Seqs.range;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.PublishAck;
import io.livepush.proto.v1.RoomJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.KeyRing;
import io.livepush.server.auth.Operation;
import io.livepush.server.auth.TokenIssuer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as a real process: start-up checks, and history that outlives kill -9 and SIGTERM. */
class ProcessRestartIT {
    private static final String SECRET = "process-restart-it-secret-0123456789abcdef";
    private static final String API_KEY = "process-restart-it-api-key";
    private static final TokenIssuer TOKENS = new TokenIssuer(KeyRing.of(SECRET, Map.of()), Clock.systemUTC());

    @TempDir
    Path dataDir;

    private final List<ServerProcess> processes = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        processes.forEach(ServerProcess::close);
    }

    @Test
    void afterKill9ARestartResumesFromTheMiddleWithTheSameEpoch() throws Exception {
        ServerProcess first = startWithSecrets();
        String epoch;
        try (TestClient writer = connect(first, "writer")) {
            epoch = writer.join("crash.room").getJoined().getEpoch();
            for (int i = 1; i <= 20; i++) {
                PublishAck ack = writer.publish("crash.room", "m" + i).getPublished();
                assertThat(ack.getSeq()).isEqualTo(i);
                assertThat(ack.getEpoch()).isEqualTo(epoch);
            }
            List<Message> live = writer.messages("crash.room", 20);
            assertThat(live).extracting(Message::getSeq).containsExactlyElementsOf(range(1, 20));

            assertThat(first.kill()).as("killed by SIGKILL").isEqualTo(137);
            writer.awaitClosed();
        }

        ServerProcess second = startWithSecrets();
        try (TestClient reader = connect(second, "reader")) {
            RoomJoined joined = reader.join(
                            "crash.room",
                            Position.newBuilder().setEpoch(epoch).setSeq(10).build())
                    .getJoined();
            assertThat(joined.getEpoch())
                    .as("the store survived, so the epoch did")
                    .isEqualTo(epoch);
            assertThat(joined.getRecovered()).isTrue();
            assertThat(joined.getLastSeq()).isEqualTo(20);
            assertThat(joined.getReplayed()).isEqualTo(10);

            PublishAck next = reader.publish("crash.room", "after restart").getPublished();
            assertThat(next.getSeq()).isEqualTo(21);
            assertThat(next.getEpoch()).isEqualTo(epoch);

            List<Message> got = reader.messages("crash.room", 11);
            assertThat(got).extracting(Message::getSeq).containsExactlyElementsOf(range(11, 21));
            for (Message m : got.subList(0, 10)) {
                assertThat(m.getPayload().toStringUtf8()).isEqualTo("m" + m.getSeq());
                assertThat(m.getPublisher()).isEqualTo("writer");
            }
            assertThat(got.get(10).getPayload().toStringUtf8()).isEqualTo("after restart");
        }
    }

    @Test
    void appletStatesSurviveKill9() throws Exception {
        ServerProcess first = startWithSecrets();
        try (TestClient writer = connect(first, "writer")) {
            for (int i = 1; i <= 3; i++) {
                assertThat(writer.appletUpdate("crash.applets", "wheel", "w" + i, 0)
                                .getApplets()
                                .getStates(0)
                                .getVersion())
                        .isEqualTo(i);
            }
            AdminClient api = new AdminClient(first.adminUrl(), API_KEY);
            assertThat(api.put(
                                    "/api/v1/rooms/crash.applets/applets/vote",
                                    AdminClient.object().put("text", "yes"))
                            .status())
                    .isEqualTo(200);

            assertThat(first.kill()).as("killed by SIGKILL").isEqualTo(137);
            writer.awaitClosed();
        }

        ServerProcess second = startWithSecrets();
        try (TestClient reader = connect(second, "reader")) {
            RoomJoined joined = reader.join("crash.applets").getJoined();
            assertThat(joined.getAppletsList())
                    .extracting(a -> a.getAppletId() + "@" + a.getVersion() + "="
                            + a.getContent().toStringUtf8())
                    .containsExactly("vote@1=yes", "wheel@3=w3");
            ServerFrame next = reader.appletUpdate("crash.applets", "wheel", "w4", 3);
            assertThat(next.getApplets().getStates(0).getVersion()).isEqualTo(4);
            assertThat(reader.await(ServerFrame::hasApplet).getApplet().getVersion())
                    .isEqualTo(4);
        }
    }

    @Test
    void aCleanStopThenRestartKeepsHistory() throws Exception {
        ServerProcess first = startWithSecrets();
        String epoch;
        try (TestClient writer = connect(first, "writer")) {
            epoch = writer.join("clean.room").getJoined().getEpoch();
            for (int i = 1; i <= 5; i++) {
                assertThat(writer.publish("clean.room", "c" + i).getPublished().getSeq())
                        .isEqualTo(i);
            }
            assertThat(first.terminate()).as("stopped by SIGTERM").isEqualTo(143);
            ServerFrame goAway = writer.await(ServerFrame::hasGoAway);
            assertThat(goAway.getGoAway().getReason()).contains("shutting down");
            writer.awaitClosed();
        }
        assertThat(first.output()).contains(" - stopped");

        ServerProcess second = startWithSecrets();
        AdminClient api = new AdminClient(second.adminUrl(), API_KEY);
        JsonNode info = api.get("/api/v1/channels/clean.room").json();
        assertThat(info.get("epoch").asText()).isEqualTo(epoch);
        assertThat(info.get("first_seq").asLong()).isEqualTo(1);
        assertThat(info.get("last_seq").asLong()).isEqualTo(5);
        try (TestClient reader = connect(second, "reader")) {
            RoomJoined joined = reader.join(
                            "clean.room",
                            Position.newBuilder().setEpoch(epoch).setSeq(0).build())
                    .getJoined();
            assertThat(joined.getRecovered()).isTrue();
            assertThat(joined.getReplayed()).isEqualTo(5);
            assertThat(reader.messages("clean.room", 5))
                    .extracting(m -> m.getPayload().toStringUtf8())
                    .containsExactly("c1", "c2", "c3", "c4", "c5");
            assertThat(reader.publish("clean.room", "c6").getPublished().getSeq())
                    .isEqualTo(6);
        }
    }

    @Test
    void withoutSecretsOnLoopbackItStartsAndLogsADevelopmentKeyAndToken() throws Exception {
        ServerProcess p = track(ServerProcess.start(ServerProcess.onFreePorts(dataDir.toString())));
        assertThat(p.tcpAddress().getAddress().isLoopbackAddress()).isTrue();
        String line = p.awaitLine(l -> l.contains("development secrets"));
        Matcher m = Pattern.compile("api key (\\S+) \\| dev token (\\S+)").matcher(line);
        assertThat(m.find()).as(line).isTrue();

        AdminClient api = new AdminClient(p.adminUrl(), m.group(1));
        assertThat(api.get("/api/v1/channels/dev.nothing").status())
                .as("the logged key is accepted")
                .isEqualTo(404);
        assertThat(api.getWithKey("/api/v1/channels/dev.nothing", API_KEY).status())
                .isEqualTo(401);
        try (TestClient c = TestClient.open(p.tcpAddress())) {
            assertThat(c.connect(m.group(2)).getConnected().getUserId()).isEqualTo("dev");
            assertThat(c.join("dev.room").hasJoined()).isTrue();
        }
    }

    @Test
    void aPublicBindWithoutSecretsRefusesToStart() throws Exception {
        ServerProcess p = track(ServerProcess.launch(
                "--bind",
                "0.0.0.0",
                "--tcp-port",
                "0",
                "--ws-port",
                "0",
                "--admin-port",
                "0",
                "--data-dir",
                dataDir.toString()));
        assertThat(p.awaitExit()).isNotZero();
        assertThat(p.output()).contains("--token-secret").doesNotContain("listening tcp=");
    }

    @Test
    void aTakenPortEndsTheStartWithOneLineNamingItAndLeavesTheStoreClean() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(taken.getLocalPort());
            ServerProcess p = track(ServerProcess.launch(
                    "--tcp-port",
                    port,
                    "--ws-port",
                    "0",
                    "--admin-port",
                    "0",
                    "--data-dir",
                    dataDir.toString(),
                    "--token-secret",
                    SECRET,
                    "--api-key",
                    API_KEY));
            assertThat(p.awaitExit()).isEqualTo(2);
            assertThat(p.output())
                    .contains("--tcp-port")
                    .contains(port)
                    .contains("in use")
                    .doesNotContain("\tat ")
                    .doesNotContain("Exception");
        }
        // Closed cleanly: the next start opens the store without Chronicle's crash recovery.
        ServerProcess next = startWithSecrets();
        assertThat(next.output()).doesNotContain("not closed cleanly");
    }

    @Test
    void aDataDirectoryInUseOrUnusableEndsTheStartWithOneLineNamingIt() throws Exception {
        startWithSecrets();
        ServerProcess second = track(ServerProcess.launch(
                ServerProcess.onFreePorts(dataDir.toString(), "--token-secret", SECRET, "--api-key", API_KEY)));
        assertThat(second.awaitExit()).isEqualTo(2);
        assertThat(second.output())
                .contains("--data-dir")
                .contains("already open")
                .doesNotContain("\tat ");

        Path file = Files.createFile(dataDir.resolveSibling(dataDir.getFileName() + ".file"));
        ServerProcess onAFile = track(ServerProcess.launch(
                ServerProcess.onFreePorts(file.toString(), "--token-secret", SECRET, "--api-key", API_KEY)));
        assertThat(onAFile.awaitExit()).isEqualTo(2);
        assertThat(onAFile.output())
                .contains("--data-dir")
                .contains(file.toString())
                .doesNotContain("\tat ");
        Files.delete(file);
    }

    @Test
    void aBadFlagValueEndsTheStartWithOneLineNamingTheFlag() throws Exception {
        ServerProcess p =
                track(ServerProcess.launch(ServerProcess.onFreePorts(dataDir.toString(), "--max-subscriptions", "0")));
        assertThat(p.awaitExit()).isEqualTo(2);
        assertThat(p.output().strip())
                .isEqualTo("push-server: --max-subscriptions: 0 (expected: > 0) (see push-server --help)");
    }

    private ServerProcess startWithSecrets() throws Exception {
        return track(ServerProcess.start(ServerProcess.onFreePorts(
                dataDir.toString(), "--token-secret", SECRET, "--api-key", API_KEY, "--store-max-messages", "10000")));
    }

    private ServerProcess track(ServerProcess p) {
        processes.add(p);
        return p;
    }

    private static TestClient connect(ServerProcess p, String user) throws Exception {
        TestClient c = TestClient.open(p.tcpAddress());
        c.connect(TOKENS.issue(
                user, Duration.ofHours(1), List.of(new Capability(List.of("*"), EnumSet.allOf(Operation.class)))));
        return c;
    }
}
