package io.livepush.loadtest.targets;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Sender;
import io.livepush.loadtest.stats.RunStats;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;

/**
 * The protocol side of one system under load, for one topic (our room, an MQTT topic, a Redis
 * channel): how its subscribers and publisher talk. Everything else — engine, pacing, latency,
 * continuity, reports — is shared by all targets.
 */
public interface Target {

    TargetKind kind();

    /** A subscriber of the topic; {@code user} names it (token subject, client id). */
    Receiver subscriber(String user, RunStats stats);

    /** The publisher to the topic; {@code maxInFlight} bounds unanswered publishes where publishes are answered. */
    Sender publisher(String user, int payloadBytes, int maxInFlight, RunStats stats);

    /**
     * Opens a connection with the target's codec to node {@code node} of the engine's {@link LoadEngine#nodes()
     * nodes} (its number mod their count), {@code user} (a {@link #subscriber} or {@link #publisher}) last.
     */
    ChannelFuture connect(LoadEngine engine, int node, ChannelHandler user);
}
