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
class SwitchTest {
    @RegisterExtension
    static final InProcessServer server = new InProcessServer();

    @Test
    void hoppingUsersSeeNoHoleAndNothingOfTheOldRoomAfterTheSwitchAnswer() throws Exception {
        Switch.Options options = new Switch.Options(
                3, 30, Duration.ofMillis(200), 50, Duration.ofSeconds(2), Duration.ofMillis(100), 64, "room.st");
        Summary s = new Switch(
                        options,
                        RunOptions.defaults(server.tcpAddress(), InProcessServer.SECRET),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run();

        assertThat(s.failures()).isEmpty();
        assertThat(s.counts().subscribersJoined()).isEqualTo(30);
        assertThat(s.results().get("switches")).isGreaterThanOrEqualTo(30.0); // ~9 each, fewer on a loaded machine
        assertThat(s.results()).containsEntry("oldRoomMessagesAfterSwitch", 0.0);
        assertThat(s.counts().published()).isPositive();
        assertThat(s.counts().deliveries()).isPositive().isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
    }
}
