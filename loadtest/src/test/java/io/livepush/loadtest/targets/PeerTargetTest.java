package io.livepush.loadtest.targets;

import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.report.Summary;
import io.livepush.loadtest.scenario.Fanout;
import io.livepush.loadtest.scenario.FanoutOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fan-out workload against a real peer (a subclass registers its {@link PeerProcess}). Kept light:
 * paranoid leak detection records every buffer access, and the peer's codecs touch many buffers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
abstract class PeerTargetTest {
    private final PrintStream console = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    abstract TargetKind kind();

    abstract PeerProcess peer();

    Summary run(String room, FanoutOptions o, int subscribers) throws Exception {
        return new Fanout(
                        scenario("fanout").inject(atOnceUsers(subscribers)),
                        o.withRoom(room).withDuration(Duration.ofSeconds(1)).withConsoleEvery(Duration.ofSeconds(1)),
                        console)
                .run();
    }

    FanoutOptions options() {
        return FanoutOptions.defaults(kind(), peer().address(), null);
    }

    @Test
    void fixedRateFanoutDeliversEverySequenceNumberOnce() throws Exception {
        Summary s = run("room.fixed", options().withRate(100), 5);

        assertThat(s.failures()).isEmpty();
        assertThat(s.transport()).isEqualTo(kind().label());
        assertThat(s.counts().subscribersJoined()).isEqualTo(5);
        assertThat(s.counts().published()).isEqualTo(100);
        assertThat(s.counts().expectedDeliveries()).isEqualTo(5 * 100);
        assertThat(s.counts().deliveries()).isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.continuity()).isEqualTo(new Summary.Continuity(0, 0, 0));
        assertThat(s.latencyMs().count()).isEqualTo(s.counts().deliveries());
        // The peer is found by its listening port; a second of light load may cost it less than one clock tick.
        assertThat(s.resources().serverPids()).containsExactly(peer().pid());
        assertThat(s.resources().serverCpuUsPerDelivery()).isGreaterThanOrEqualTo(0);
        assertThat(s.resources().serverRssMb()).isPositive();
        assertThat(s.resources().harnessCpuUsPerDelivery()).isPositive();
    }

    @Test
    void closedLoopPublishesAsFastAsSubscribersKeepUp() throws Exception {
        Summary s = run("room.closed", options().withClosedLoop(20), 5);

        assertThat(s.failures()).isEmpty();
        assertThat(s.config().closedLoop()).isTrue();
        // Past the first windows of 20: the loop moved on as subscribers caught up.
        assertThat(s.counts().published()).isGreaterThan(40);
        // Holes do not fail these targets, but every published seq is either delivered or a hole.
        assertThat(s.counts().deliveries() + s.continuity().holes())
                .isEqualTo(s.counts().expectedDeliveries());
        assertThat(s.continuity().duplicates() + s.continuity().outOfOrder()).isZero();
    }
}
