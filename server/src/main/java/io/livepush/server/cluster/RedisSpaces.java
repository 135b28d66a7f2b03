package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import io.livepush.proto.v1.Item;
import io.livepush.server.sync.ChangeNotice;
import io.livepush.server.sync.SpaceFullException;
import io.livepush.server.sync.SpaceRead;
import io.livepush.server.sync.Spaces;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The data-sync spaces of a cluster, in its Redis (keys in {@link SpaceKeys}): a read is one script
 * ({@code space-read.lua}) so it sees one moment of the space; a commit is a compare-and-set of the space's
 * cursor in another ({@code space-commit.lua}); once that succeeded, the change's {@code DataChanged} goes out on
 * {@link ClusterControl}'s channel, so every node pushes it to the user's connections it holds (a hint, at most
 * once: a device that misses it catches up at its next sync). Every call is asynchronous and goes out through the
 * {@link CommandIssuer}.
 *
 * <p>Capacity: a space holds at most {@code maxItemsPerSpace} items ({@link #MAX_ITEMS_PER_SPACE} in a server),
 * tombstones included: plenty for a user's settings and drafts, and a bound on one space's share of Redis's
 * memory and on the pages a new device syncs through. A change that would add items past it fails whole with
 * {@link SpaceFullException} (changes to items the space holds always fit).
 * Spaces and their items are not counted across the cluster ({@code --sync-max-items} and
 * {@code --sync-max-spaces} size the embedded store): Redis's {@code maxmemory} bounds them all.
 */
public final class RedisSpaces implements Spaces {
    /** Items (tombstones included) a space holds in a server's Redis. */
    public static final int MAX_ITEMS_PER_SPACE = 10_000;

    private final LuaScript readScript;
    private final LuaScript commitScript;
    private final RedisPubSub pubSub;
    private final int maxItemsPerSpace;

    public RedisSpaces(
            RedisScriptingAsyncCommands<String, byte[]> redis,
            CommandIssuer issuer,
            RedisPubSub pubSub,
            int maxItemsPerSpace) {
        if (maxItemsPerSpace <= 0) {
            throw new IllegalArgumentException("maxItemsPerSpace: " + maxItemsPerSpace + " (expected: > 0)");
        }
        this.maxItemsPerSpace = maxItemsPerSpace;
        this.pubSub = requireNonNull(pubSub, "pubSub");
        this.readScript = new LuaScript(redis, issuer, "space-read.lua");
        this.commitScript = new LuaScript(redis, issuer, "space-commit.lua");
    }

    /** Loads the scripts into Redis ahead of their first use (optional). */
    public CompletableFuture<Void> start() {
        return CompletableFuture.allOf(readScript.load(), commitScript.load());
    }

    @Override
    public CompletableFuture<SpaceRead> read(String space, Collection<String> itemIds, long since, int changedLimit) {
        List<String> ids = List.copyOf(itemIds);
        byte[][] args = new byte[2 + ids.size()][];
        args[0] = utf8(Long.toString(since));
        args[1] = utf8(Integer.toString(changedLimit));
        for (int i = 0; i < ids.size(); i++) {
            args[2 + i] = utf8(ids.get(i));
        }
        return readScript.run(SpaceKeys.of(space).all(), args).thenApply(reply -> {
            Map<String, Item> items = new HashMap<>();
            List<?> asked = (List<?>) reply.get(1);
            for (int i = 0; i < ids.size(); i++) {
                if (asked.get(i) != null) {
                    items.put(ids.get(i), parse(asked.get(i), space));
                }
            }
            Set<String> mentioned = new HashSet<>(ids);
            List<Item> changed = new ArrayList<>();
            for (Object bytes : (List<?>) reply.get(2)) {
                Item item = parse(bytes, space);
                if (changed.size() < changedLimit && !mentioned.contains(item.getItemId())) {
                    changed.add(item);
                }
            }
            return new SpaceRead((Long) reply.get(0), items, changed);
        });
    }

    @Override
    public CompletableFuture<Boolean> commit(
            String space, long expectedCursor, List<Item> changed, ChangeNotice notice) {
        if (changed.isEmpty()) {
            throw new IllegalArgumentException("changed: empty (expected: the items to store)");
        }
        byte[][] args = new byte[2 + 3 * changed.size()][];
        args[0] = utf8(Long.toString(expectedCursor));
        args[1] = utf8(Integer.toString(maxItemsPerSpace));
        int i = 2;
        for (Item item : changed) {
            args[i++] = utf8(item.getItemId());
            args[i++] = utf8(Long.toString(item.getVersion()));
            args[i++] = item.toByteArray();
        }
        return commitScript.run(SpaceKeys.of(space).all(), args).thenApply(reply -> {
            long outcome = (Long) reply.get(0);
            if (outcome < 0) {
                throw new SpaceFullException("space " + space + " holds " + reply.get(1) + " items (limit: "
                        + maxItemsPerSpace + " per space, deleted ones included)");
            }
            if (outcome > 0) {
                pubSub.publish(ClusterControl.CONTROL, ClusterControl.dataChangedEvent(notice));
            }
            return outcome > 0;
        });
    }

    private static Item parse(Object bytes, String space) {
        try {
            return Item.parseFrom((byte[]) bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new CompletionException("an item of space " + space + " does not parse as push.v1", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }
}
