package io.livepush.server.sync;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.DataSync;
import io.livepush.proto.v1.DataSyncResult;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.DataUploadResult;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;
import io.livepush.server.channel.HomeExecutors;
import io.livepush.server.channel.Reply;
import io.livepush.server.store.ChronicleSpaceStore;
import io.livepush.server.store.SpaceIndex;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two-way sync of data-sync spaces (PROTOCOL.md semantics 6). Every operation on a space runs on the
 * space's home ({@code homes.homeOf("space:" + space)}), so a space has one writer and its cursor and
 * index need no locks. Requests reach it already authorized and within limits.
 *
 * <p>A space has a <b>cursor</b>, bumped on every accepted change; an item's version is the cursor
 * value of its last change, so "changed since cursor c" is "version &gt; c". Deletions are kept as
 * tombstones so every device learns about them.
 */
public final class DataSyncService {
    private final HomeExecutors homes;
    private final ChronicleSpaceStore store;
    private final Clock clock;
    private final int downloadMaxItems;
    private final int downloadMaxBytes;

    /**
     * @param downloadMaxItems most items one answer carries beyond those the client mentioned
     * @param downloadMaxBytes content bytes after which such items stop (at least one is always sent)
     */
    public DataSyncService(
            HomeExecutors homes, ChronicleSpaceStore store, Clock clock, int downloadMaxItems, int downloadMaxBytes) {
        this.homes = requireNonNull(homes, "homes");
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
        this.downloadMaxItems = downloadMaxItems;
        this.downloadMaxBytes = downloadMaxBytes;
    }

    /**
     * Compares the client's change info with the space, applies winning client deletions, and hands the
     * outcome (or the failure, a {@link java.util.concurrent.RejectedExecutionException} when the home is
     * busy) to {@code reply}, right after anything was stored.
     */
    public void sync(DataSync req, Reply<SyncOutcome<DataSyncResult>> reply) {
        homes.call("space:" + req.getSpace(), () -> syncNow(req), reply);
    }

    /**
     * Verifies every fingerprint, then stores the items that differ from the server's; as
     * {@link #sync} for {@code reply}.
     */
    public void upload(DataUpload req, Reply<SyncOutcome<DataUploadResult>> reply) {
        homes.call("space:" + req.getSpace(), () -> uploadNow(req), reply);
    }

    private SyncOutcome<DataSyncResult> syncNow(DataSync req) {
        String space = req.getSpace();
        SpaceIndex index = store.index(space);
        DataSyncResult.Builder result = DataSyncResult.newBuilder().setSpace(space);
        List<Item> stored = new ArrayList<>();
        Set<String> mentioned = new HashSet<>();
        for (ItemChange change : req.getChangesList()) {
            String id = change.getItemId();
            mentioned.add(id);
            Item server =
                    index.versions().containsKey(id) ? store.item(space, id).orElse(null) : null;
            switch (ConflictResolver.resolve(change, server, req.getPolicy())) {
                case SAME -> {
                    if (server != null && server.getVersion() > change.getBaseVersion()) {
                        // Equal content on both sides: no content moves, the client just adopts the version.
                        result.addDownload(server.toBuilder().clearContent());
                    }
                }
                case UPLOAD -> result.addUploadIds(id);
                case DOWNLOAD -> result.addDownload(server);
                case DELETE -> {
                    Item tombstone = Item.newBuilder()
                            .setItemId(id)
                            .setVersion(index.bump(id))
                            .setDeleted(true)
                            .setModifiedMs(modifiedMs(change.getModifiedMs()))
                            .build();
                    stored.add(tombstone);
                    result.addDownload(tombstone);
                }
                default -> throw new IllegalStateException("unknown decision");
            }
        }
        if (!stored.isEmpty()) {
            store.commit(space, index, stored);
        }
        // A cursor beyond the space's own means the server lost data (a wiped store): start over.
        long since = req.getCursor() > index.cursor() ? 0 : req.getCursor();
        addServerChanges(space, index, since, mentioned, result);
        return new SyncOutcome<>(result.build(), null, changes(stored));
    }

    /**
     * Adds the items changed since {@code since} that the client did not mention, oldest first, within
     * the download budget. When the budget cuts them short, the cursor stops at the last one sent and
     * {@code more} tells the client to ask again.
     */
    private void addServerChanges(
            String space, SpaceIndex index, long since, Set<String> mentioned, DataSyncResult.Builder result) {
        List<Map.Entry<String, Long>> newer = new ArrayList<>();
        for (Map.Entry<String, Long> e : index.versions().entrySet()) {
            if (e.getValue() > since && !mentioned.contains(e.getKey())) {
                newer.add(e);
            }
        }
        newer.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
        long cursor = index.cursor();
        int count = 0;
        long bytes = 0;
        for (Map.Entry<String, Long> e : newer) {
            if (count >= downloadMaxItems || (count > 0 && bytes >= downloadMaxBytes)) {
                cursor = newer.get(count - 1).getValue();
                result.setMore(true);
                break;
            }
            Item item = store.item(space, e.getKey())
                    .orElseThrow(() ->
                            new IllegalStateException("space " + space + " indexes a missing item " + e.getKey()));
            result.addDownload(item);
            bytes += item.getContent().size();
            count++;
        }
        result.setCursor(cursor);
    }

    private SyncOutcome<DataUploadResult> uploadNow(DataUpload req) {
        for (Item item : req.getItemsList()) {
            if (!item.getDeleted() && !Fingerprints.of(item.getContent()).equals(item.getFingerprint())) {
                return SyncOutcome.badFingerprint(item.getItemId());
            }
        }
        String space = req.getSpace();
        SpaceIndex index = store.index(space);
        DataUploadResult.Builder result = DataUploadResult.newBuilder().setSpace(space);
        List<Item> stored = new ArrayList<>();
        for (Item item : req.getItemsList()) {
            String id = item.getItemId();
            Item current =
                    index.versions().containsKey(id) ? store.item(space, id).orElse(null) : null;
            Item kept;
            if (unchanged(item, current)) {
                // A retried or repeated upload: no new version.
                kept = current != null
                        ? current
                        : Item.newBuilder().setItemId(id).setDeleted(true).build();
            } else {
                Item.Builder next = Item.newBuilder()
                        .setItemId(id)
                        .setVersion(index.bump(id))
                        .setModifiedMs(modifiedMs(item.getModifiedMs()));
                if (item.getDeleted()) {
                    next.setDeleted(true);
                } else {
                    next.setFingerprint(item.getFingerprint()).setContent(item.getContent());
                }
                kept = next.build();
                stored.add(kept);
            }
            result.addItems(kept.toBuilder().clearContent());
        }
        if (!stored.isEmpty()) {
            store.commit(space, index, stored);
        }
        return new SyncOutcome<>(result.setCursor(index.cursor()).build(), null, changes(stored));
    }

    private static boolean unchanged(Item upload, Item current) {
        boolean exists = current != null && !current.getDeleted();
        if (upload.getDeleted()) {
            return !exists;
        }
        return exists && current.getFingerprint().equals(upload.getFingerprint());
    }

    private long modifiedMs(long given) {
        return given > 0 ? given : clock.millis();
    }

    private static List<ItemChange> changes(List<Item> stored) {
        List<ItemChange> out = new ArrayList<>(stored.size());
        for (Item item : stored) {
            out.add(ItemChange.newBuilder()
                    .setItemId(item.getItemId())
                    .setFingerprint(item.getFingerprint())
                    .setBaseVersion(item.getVersion())
                    .setDeleted(item.getDeleted())
                    .setModifiedMs(item.getModifiedMs())
                    .build());
        }
        return out;
    }
}
