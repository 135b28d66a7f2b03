package io.livepush.server.sync;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.Item;
import io.livepush.server.store.ChronicleSpaceStore;
import io.livepush.server.store.SpaceIndex;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The spaces of one node, in {@link ChronicleSpaceStore}: called on the space's home (its one writer), it
 * answers at once, so a commit never finds the cursor moved. {@code DataChanged} goes to the user's other
 * connections on this node right after the commit, on the home. Capacity is the store's
 * ({@code --sync-max-items}, {@code --sync-max-spaces}).
 */
public final class EmbeddedSpaces implements Spaces {
    private final ChronicleSpaceStore store;
    private final DataChangedPushes pushes;

    public EmbeddedSpaces(ChronicleSpaceStore store, DataChangedPushes pushes) {
        this.store = requireNonNull(store, "store");
        this.pushes = requireNonNull(pushes, "pushes");
    }

    @Override
    public CompletableFuture<SpaceRead> read(String space, Collection<String> itemIds, long since, int changedLimit) {
        SpaceIndex index = store.index(space);
        Map<String, Item> items = new HashMap<>();
        for (String id : itemIds) {
            if (index.versions().containsKey(id)) {
                store.item(space, id).ifPresent(item -> items.put(id, item));
            }
        }
        Set<String> asked = new HashSet<>(itemIds);
        List<Map.Entry<String, Long>> newer = new ArrayList<>();
        if (changedLimit > 0) {
            for (Map.Entry<String, Long> e : index.versions().entrySet()) {
                if (e.getValue() > since && !asked.contains(e.getKey())) {
                    newer.add(e);
                }
            }
            newer.sort(Map.Entry.comparingByValue());
        }
        List<Item> changed = new ArrayList<>(Math.min(newer.size(), changedLimit));
        for (Map.Entry<String, Long> e : newer.subList(0, Math.min(newer.size(), changedLimit))) {
            changed.add(store.item(space, e.getKey())
                    .orElseThrow(() ->
                            new IllegalStateException("space " + space + " indexes a missing item " + e.getKey())));
        }
        return CompletableFuture.completedFuture(new SpaceRead(index.cursor(), items, changed));
    }

    @Override
    public CompletableFuture<Boolean> commit(
            String space, long expectedCursor, List<Item> changed, ChangeNotice notice) {
        SpaceIndex index = store.index(space);
        if (index.cursor() != expectedCursor) {
            return CompletableFuture.completedFuture(false); // not on the space's home after all
        }
        for (Item item : changed) {
            if (index.bump(item.getItemId()) != item.getVersion()) {
                throw new IllegalArgumentException("item " + item.getItemId() + ": version " + item.getVersion()
                        + " (expected: " + index.cursor() + ")");
            }
        }
        store.commit(space, index, changed);
        pushes.deliver(notice);
        return CompletableFuture.completedFuture(true);
    }
}
