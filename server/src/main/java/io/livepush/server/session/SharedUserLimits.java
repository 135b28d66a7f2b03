package io.livepush.server.session;

import io.netty.channel.ChannelId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Per-user limits that the nodes of a cluster count together, so that a user cannot get past them by spreading its
 * connections or publishes over nodes. A node on its own has {@link #NONE}: {@link SessionRegistry} counts them.
 */
public interface SharedUserLimits {
    SharedUserLimits NONE = new SharedUserLimits() {
        @Override
        public CompletionStage<Boolean> opened(String user, ChannelId connection) {
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public void closed(String user, ChannelId connection) {}

        @Override
        public CompletionStage<Long> tryPublish(String user) {
            return CompletableFuture.completedFuture(0L);
        }

        @Override
        public boolean countsPublishes() {
            return false;
        }
    };

    /**
     * The user's connection opened here; completes with false when that is one more than the cluster allows. An id
     * rather than its text: a node on its own never formats it (Netty keeps the text on the channel once made).
     */
    CompletionStage<Boolean> opened(String user, ChannelId connection);

    /** The connection closed (also one that {@link #opened} refused). */
    void closed(String user, ChannelId connection);

    /** Takes one publish from the user's rate across the cluster: 0 when allowed, else the ms until one would be. */
    CompletionStage<Long> tryPublish(String user);

    /** Whether {@link #tryPublish} counts anything (a per-user publish rate is set). */
    boolean countsPublishes();
}
