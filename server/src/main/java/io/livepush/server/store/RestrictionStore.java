package io.livepush.server.store;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Where user restrictions (bans, token revocations) are kept: this node's file, or the cluster's Redis. */
public interface RestrictionStore {

    /** Every restriction that still matters at {@code nowMs}. */
    Map<String, UserRestriction> load(long nowMs);

    /**
     * Stores {@code r} for {@code user} ({@link UserRestriction#NONE} deletes it); completes once it is
     * kept (and, in a cluster, sent to every node).
     */
    CompletableFuture<Void> put(String user, UserRestriction r);
}
