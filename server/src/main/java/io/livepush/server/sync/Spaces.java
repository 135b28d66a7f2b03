package io.livepush.server.sync;

import io.livepush.proto.v1.Item;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where data-sync spaces are kept: the seam between {@link DataSyncService}, which decides, and a store,
 * which reads and commits. A request reads what it needs ({@link #read}), decides, then commits with a
 * compare-and-set on the space's cursor ({@link #commit}); a commit that lost the race is retried from a new
 * read. Implementations: {@link EmbeddedSpaces} (Chronicle Map, answering at once on the space's home) and
 * {@code cluster.RedisSpaces} (one Redis shared by the nodes, answering asynchronously).
 *
 * <p>An item's version is the cursor value of its last change: a commit of n items after cursor c gives them
 * the versions c+1 … c+n (set by the caller), and the space's cursor becomes c+n.
 */
public interface Spaces {
    /**
     * One consistent view of the space: its cursor, the stored items among {@code itemIds} (tombstones
     * included; absent when never stored), and the other items changed after {@code since}, oldest first, at
     * most {@code changedLimit} of them (0: none).
     */
    CompletableFuture<SpaceRead> read(String space, Collection<String> itemIds, long since, int changedLimit);

    /**
     * Stores {@code changed} (versions {@code expectedCursor + 1 …} in order) if the space's cursor is still
     * {@code expectedCursor}, then sends {@code notice} to the user's other connections, in commit order.
     *
     * @return false when the cursor had moved: nothing was stored
     * @throws SpaceFullException (as the future's failure) when the items do not fit; nothing was stored
     */
    CompletableFuture<Boolean> commit(String space, long expectedCursor, List<Item> changed, ChangeNotice notice);
}
