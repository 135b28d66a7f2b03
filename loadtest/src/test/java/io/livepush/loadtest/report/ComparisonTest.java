package io.livepush.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.livepush.loadtest.stats.ResourceUse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static Summary run(String target, boolean passed, double deliveriesPerSec, double p99, long holes) {
        return run(target, passed, deliveriesPerSec, p99, holes, ResourceUse.NONE);
    }

    private static Summary run(
            String target, boolean passed, double deliveriesPerSec, double p99, long holes, ResourceUse resources) {
        return new Summary(
                "fanout",
                "127.0.0.1:1",
                List.of(),
                target,
                "2026-11-21T00:00:00Z",
                passed,
                List.of(),
                new Summary.Config(100, 0, 1000, 100, "room.x", true, 1000),
                new Summary.Counts(100, 10, 10, 1000, 1000, 10, deliveriesPerSec, 0, 1),
                new Summary.Latency(1000, 1, 2, p99, p99 * 2, p99 * 3, 1),
                new Summary.Continuity(holes, 0, 0),
                Map.of(),
                List.of(),
                resources);
    }

    private static ResourceUse cpu(double serverUsPerDelivery, double harnessUsPerDelivery) {
        return new ResourceUse(List.of(42L), serverUsPerDelivery, 0.9, 200, harnessUsPerDelivery, 0.5);
    }

    @Test
    void ratiosAreRowOverColumnForEveryPair() {
        Comparison c = Comparison.of(List.of(
                run("push-tcp", true, 150_000, 2, 0), run("redis", true, 100_000, 8, 0), run("mqtt", true, 0, 0, 0)));

        assertThat(c.deliveriesPerSecRatios().get("push-tcp").get("redis")).isEqualTo(1.5);
        assertThat(c.deliveriesPerSecRatios().get("redis").get("push-tcp")).isCloseTo(0.667, within(0.001));
        assertThat(c.deliveriesPerSecRatios().get("redis").get("redis")).isEqualTo(1.0);
        assertThat(c.p99Ratios().get("push-tcp").get("redis")).isEqualTo(0.25);
        // Nothing to divide by: not a number, shown as "-".
        assertThat(c.deliveriesPerSecRatios().get("push-tcp").get("mqtt")).isNaN();
        assertThat(c.deliveriesPerSecRatios().keySet()).containsExactly("push-tcp", "redis", "mqtt");
        assertThat(c.allPassed()).isTrue();
    }

    @Test
    void cpuPerDeliveryRatiosAreRowOverColumnAndMissingWhereNotMeasured() {
        Comparison c = Comparison.of(List.of(
                run("push-tcp", true, 150_000, 2, 0, cpu(2.0, 1.0)),
                run("redis", true, 100_000, 8, 0, cpu(3.0, 0.5)),
                run("mqtt", true, 100_000, 8, 0, ResourceUse.NONE)));

        assertThat(c.serverCpuPerDeliveryRatios().get("redis").get("push-tcp")).isEqualTo(1.5);
        assertThat(c.harnessCpuPerDeliveryRatios().get("redis").get("push-tcp")).isEqualTo(0.5);
        assertThat(c.serverCpuPerDeliveryRatios().get("mqtt").get("push-tcp")).isNaN();
        assertThat(c.serverCpuPerDeliveryRatios().get("push-tcp").get("mqtt")).isNaN();
        assertThat(c.entries().get(1).serverRssMb()).isEqualTo(200);
    }

    @Test
    void tableShowsEveryTargetAndEveryMatrix() {
        Comparison c = Comparison.of(List.of(run("push-tcp", true, 150_000, 2, 0), run("redis", false, 100_000, 8, 7)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        ComparisonTable.print(c, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table)
                .contains(
                        "deliveries/s ratio",
                        "p99 latency ratio",
                        "server CPU per delivery ratio",
                        "harness CPU per delivery ratio");
        assertThat(table.lines().filter(l -> l.startsWith("push-tcp")))
                .hasSize(5)
                .anySatisfy(l -> assertThat(l).contains("PASSED", "150,000", "2.00"))
                .anySatisfy(l -> assertThat(l).endsWith("1.00       1.50"))
                .anySatisfy(l -> assertThat(l).endsWith("1.00       0.25"));
        assertThat(table.lines().filter(l -> l.startsWith("redis")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).contains("FAILED", "100,000", "8.00", " 7 "));
        assertThat(c.allPassed()).isFalse();
    }
}
