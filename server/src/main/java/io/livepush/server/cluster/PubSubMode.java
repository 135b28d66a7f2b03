package io.livepush.server.cluster;

/**
 * Which Pub/Sub the node's channels use: classic on one Redis (a message reaches every subscriber of the
 * server), sharded on a Redis Cluster (Redis 7.0+: a message travels only within the shard that owns its
 * channel's slot, instead of over the whole cluster's bus).
 */
enum PubSubMode {
    CLASSIC("PUBLISH"),
    SHARDED("SPUBLISH");

    private final String publishCommand;

    PubSubMode(String publishCommand) {
        this.publishCommand = publishCommand;
    }

    /** The command a script publishes with ({@code publish.lua}, {@code applet.lua}). */
    String publishCommand() {
        return publishCommand;
    }
}
