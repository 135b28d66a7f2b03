package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.Tokens;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The systems the harness can load with the same workload, so that their numbers compare fairly. */
public enum TargetKind {
    /** Our server's TCP protocol (varint32-delimited protobuf frames). */
    PUSH_TCP("push-tcp", 7070, true),
    /** Our server's WebSocket endpoint, subprotocol {@code push.v1.proto}. */
    PUSH_WS("push-ws", 8080, true),
    /** An MQTT 3.1.1 broker (e.g. Mosquitto), QoS 0. */
    MQTT("mqtt", 1883, false),
    /** Redis Pub/Sub. */
    REDIS("redis", 6379, false);

    private final String label;
    private final int defaultPort;
    private final boolean ours;

    TargetKind(String label, int defaultPort, boolean ours) {
        this.label = label;
        this.defaultPort = defaultPort;
        this.ours = ours;
    }

    /** The name on the command line and in reports, e.g. {@code push-tcp}. */
    public String label() {
        return label;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Our server authenticates with tokens the harness mints from its secret; the peers need none. */
    public boolean needsTokenSecret() {
        return ours;
    }

    /**
     * Whether a hole fails the run: our server promises every seq to a subscriber that keeps up (it may
     * drop for slow ones, which the closed loop avoids), while MQTT QoS 0 and Redis Pub/Sub drop
     * messages for slow subscribers by design: their holes are counted and reported, not failed.
     */
    public boolean lossless() {
        return ours;
    }

    /**
     * A target of this kind for {@code topic}; {@code tokenSecret} may be null for the peers. Its connections go
     * to the nodes of the engine they are opened with ({@link Target#connect}).
     */
    public Target create(String topic, String tokenSecret, Duration tokenTtl) {
        requireNonNull(topic, "topic");
        return switch (this) {
            case PUSH_TCP, PUSH_WS ->
                new PushTarget(this, topic, new Tokens(requireNonNull(tokenSecret, "tokenSecret"), tokenTtl));
            case MQTT -> new MqttTarget(topic);
            case REDIS -> new RedisTarget(topic);
        };
    }

    public static TargetKind parse(String label) {
        String l = requireNonNull(label, "label").trim().toLowerCase(Locale.ROOT);
        for (TargetKind k : values()) {
            if (k.label.equals(l)) {
                return k;
            }
        }
        throw new IllegalArgumentException("target: " + label + " (expected: one of "
                + Arrays.stream(values()).map(TargetKind::label).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return label;
    }
}
