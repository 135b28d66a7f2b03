package io.livepush.server.channel;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Presence across the nodes of a cluster (PROTOCOL.md "Cluster" 3): each node reports its own counts of a channel
 * and reads those of the others. A node on its own has no others ({@link #NONE}).
 */
public interface ClusterPresence {
    /** Room members and subscribers of a channel. */
    record Counts(long roomMembers, long subscribers) {
        public static final Counts ZERO = new Counts(0, 0);

        public Counts plus(Counts other) {
            return new Counts(roomMembers + other.roomMembers, subscribers + other.subscribers);
        }
    }

    /** One node: nothing to share, and nobody else to count. */
    ClusterPresence NONE = new ClusterPresence() {
        @Override
        public void changed(String channel, int roomMembers, int subscribers) {}

        @Override
        public CompletionStage<Counts> others(String channel) {
            return CompletableFuture.completedFuture(Counts.ZERO);
        }

        @Override
        public Counts lastKnown(String channel) {
            return Counts.ZERO;
        }
    };

    /** This node's counts of {@code channel} are now these; called on the channel's home, so it must not block. */
    void changed(String channel, int roomMembers, int subscribers);

    /** The sum of the other live nodes' counts of {@code channel}, possibly a second old. */
    CompletionStage<Counts> others(String channel);

    /**
     * The other nodes' counts as last read, without waiting ({@link Counts#ZERO} before the first read); a stale
     * value starts a read for the next caller. For a home that must answer now, such as a member event.
     */
    Counts lastKnown(String channel);
}
