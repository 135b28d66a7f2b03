package io.livepush.loadtest;

import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;

import io.livepush.loadtest.dsl.Scenario;
import io.livepush.loadtest.engine.Nodes;
import io.livepush.loadtest.scenario.FanoutOptions;
import io.livepush.loadtest.targets.TargetKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The fan-out workload's options, shared by {@code fanout} and {@code compare}: one workload for every target. */
final class WorkloadOptions {
    static final String TARGETS = "push-tcp (our TCP protocol), push-ws (our WebSocket endpoint), "
            + "mqtt (MQTT 3.1.1 QoS 0, e.g. Mosquitto), redis (Redis Pub/Sub)";

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            split = ",",
            description = "target host, loopback only" + TargetOptions.CLUSTER
                    + "; the publisher goes to the first (default: ${DEFAULT-VALUE})")
    List<String> host;

    @Option(
            names = "--token-secret",
            description = "our server's token secret (tokens are minted here); needed for push-tcp and push-ws")
    String tokenSecret;

    @Option(names = "--subscribers", defaultValue = "1000", description = "subscribers (default: ${DEFAULT-VALUE})")
    int subscribers;

    @Option(
            names = "--ramp",
            defaultValue = "0s",
            description = "spread subscriber connects over this time (default: at once)")
    Duration ramp;

    @Option(names = "--rate", description = "publishes per second (default: 1000; not with --closed-loop)")
    Double rate;

    @Option(
            names = "--closed-loop",
            description = {
                "publish as fast as the slowest subscriber allows, at most --backlog ahead of it: measures fan-out capacity (deliveries/s).",
                "Latency then mostly shows the backlog queueing (about backlog x subscribers / deliveries/s): measure latency at a fixed --rate."
            })
    boolean closedLoop;

    /** Enough to keep every target's pipeline full on loopback (1,000 gave the same deliveries/s, 10× the latency). */
    @Option(
            names = "--backlog",
            defaultValue = "100",
            description =
                    "closed loop: most messages published but not yet delivered to the slowest subscriber (default: ${DEFAULT-VALUE})")
    int backlog;

    @Option(
            names = "--duration",
            defaultValue = "30s",
            description =
                    "measured publishing time, after any --warmup; the run stops by itself (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(
            names = "--warmup",
            defaultValue = "0s",
            description = {
                "publish this long first, left out of latency and rates (JIT compilation, pools and buffers growing); continuity is checked throughout (default: none)"
            })
    Duration warmup;

    @Option(
            names = "--payload-bytes",
            defaultValue = "100",
            description = "payload size, >= 16 (default: ${DEFAULT-VALUE})")
    int payloadBytes;

    @Option(
            names = "--room",
            defaultValue = "room.loadtest",
            description = "room, MQTT topic, Redis channel (default: ${DEFAULT-VALUE})")
    String room;

    @Option(names = "--io-threads", description = "event loops (default: available processors)")
    Integer ioThreads;

    @Mixin
    TlsOptions tls;

    /** The {@code fanout} scenario: the subscribers at once, or ramped. */
    Scenario scenario() {
        if (subscribers < 1) {
            throw new IllegalArgumentException("subscribers: " + subscribers + " (expected: > 0)");
        }
        return Scenario.scenario("fanout")
                .inject(
                        ramp.isZero()
                                ? atOnceUsers(subscribers)
                                : rampUsers(subscribers).during(ramp));
    }

    /**
     * The options of one run against {@code kind} on {@code ports} (with {@code --host}: one node or a cluster's),
     * given as option {@code portOption}; throws {@link IllegalArgumentException} on bad input.
     */
    FanoutOptions options(TargetKind kind, String portOption, List<Integer> ports, Path out) {
        if (closedLoop && rate != null) {
            throw new IllegalArgumentException("--rate and --closed-loop: pick one");
        }
        FanoutOptions o = FanoutOptions.defaults(kind, Nodes.parse("--host", host, portOption, ports), tokenSecret)
                .withRoom(room)
                .withDuration(duration)
                .withWarmup(warmup)
                .withPayloadBytes(payloadBytes)
                .withOut(out);
        if (ioThreads != null) {
            o = o.withIoThreads(ioThreads);
        }
        if (kind.needsTokenSecret()) { // our server only: a compare's MQTT and Redis runs stay plain
            o = o.withTls(tls.context());
        }
        return closedLoop ? o.withClosedLoop(backlog) : o.withRate(rate == null ? 1000 : rate);
    }

    /** {@code push-tcp}, {@code push-ws}, {@code mqtt}, {@code redis}. */
    static final class TargetConverter implements ITypeConverter<TargetKind> {
        @Override
        public TargetKind convert(String value) {
            return TargetKind.parse(value);
        }
    }
}
