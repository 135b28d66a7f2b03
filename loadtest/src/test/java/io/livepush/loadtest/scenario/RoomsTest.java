package io.livepush.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.report.Summary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RoomsTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    private final ByteArrayOutputStream consoleBytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(consoleBytes, true, StandardCharsets.UTF_8);

    @Test
    void everyMemberGetsEveryMessageOfItsRoomInOrder() throws Exception {
        Rooms.Options options =
                new Rooms.Options(4, 40, 5, Duration.ofSeconds(2), Duration.ofMillis(200), 64, "room.rt");
        Summary s = new Rooms(
                        options,
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET)
                                .withConsoleEvery(Duration.ofSeconds(1)),
                        console)
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.passed()).isTrue();
        assertThat(s.counts().subscribersJoined()).isEqualTo(40);
        assertThat(s.counts().published()).isPositive().isEqualTo(s.counts().acked());
        // 10 members per room, the publisher among them: a message reaches all 10 unless some were still joining.
        assertThat(s.counts().expectedDeliveries())
                .isBetween(9 * s.counts().published(), 10 * s.counts().published());
        assertThat(s.counts().deliveries()).isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
        assertThat(s.latencyMs().count()).isEqualTo(s.counts().deliveries());
        assertThat(s.results()).containsEntry("rooms", 4.0).containsEntry("membersPerRoom", 10.0);
        assertThat(consoleBytes.toString(StandardCharsets.UTF_8)).contains("membersPerRoom", "PASSED");
    }
}
