package io.livepush.server.sync;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.DataChanged;
import io.livepush.proto.v1.DataSync;
import io.livepush.proto.v1.DataSyncResult;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.DataUploadResult;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;
import io.livepush.server.channel.HomeExecutors;
import io.livepush.server.channel.Reply;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Two-way sync of data-sync spaces (PROTOCOL.md semantics 6), over {@link Spaces}. Requests reach it already
 * authorized and within limits. Each request reads what it needs, decides ({@link ConflictResolver}), and
 * commits with a compare-and-set on the space's cursor; a commit that lost the race to another node is
 * retried from a new read, at most {@link #MAX_ATTEMPTS} times, then answered busy.
 *
 * <p>A request's steps run on the space's home ({@link SpaceSteps}): with the embedded store, in one task on
 * the space's one writer, as that store needs.
 *
 * <p>A space has a <b>cursor</b>, bumped on every accepted change; an item's version is the cursor value of
 * its last change, so "changed since cursor c" is "version &gt; c". Deletions are kept as tombstones so every
 * device learns about them.
 */
public final class DataSyncService {
    /** Reads and commits one request tries before it is answered busy (the space kept changing under it). */
    static final int MAX_ATTEMPTS = 16;

    private final HomeExecutors homes;
    private final Spaces spaces;
    private final Clock clock;
    private final int downloadMaxItems;
    private final int downloadMaxBytes;

    /**
     * @param downloadMaxItems most items one answer carries beyond those the client mentioned
     * @param downloadMaxBytes content bytes after which such items stop (at least one is always sent)
     */
    public DataSyncService(
            HomeExecutors homes, Spaces spaces, Clock clock, int downloadMaxItems, int downloadMaxBytes) {
        this.homes = requireNonNull(homes, "homes");
        this.spaces = requireNonNull(spaces, "spaces");
        this.clock = requireNonNull(clock, "clock");
        this.downloadMaxItems = downloadMaxItems;
        this.downloadMaxBytes = downloadMaxBytes;
    }

    /**
     * Compares the client's change info with the space, applies winning client deletions, and hands the
     * outcome (or the failure: a {@link RejectedExecutionException} when the home is busy or the space kept
     * changing) to {@code reply}, right after anything was stored.
     *
     * @param user who asks: their other connections hear of what is stored
     * @param sessionId the asking connection's session id: it is not told
     */
    public void sync(String user, String sessionId, DataSync req, Reply<SyncOutcome<DataSyncResult>> reply) {
        SpaceSteps.start(
                homes,
                req.getSpace(),
                steps -> syncOnce(new ChangeSource(user, sessionId, steps), req, MAX_ATTEMPTS),
                reply);
    }

    /** Verifies every fingerprint, then stores the items that differ from the server's; as {@link #sync}. */
    public void upload(String user, String sessionId, DataUpload req, Reply<SyncOutcome<DataUploadResult>> reply) {
        SpaceSteps.start(
                homes,
                req.getSpace(),
                steps -> {
                    for (Item item : req.getItemsList()) {
                        if (!item.getDeleted()
                                && !Fingerprints.of(item.getContent()).equals(item.getFingerprint())) {
                            return CompletableFuture.completedFuture(SyncOutcome.badFingerprint(item.getItemId()));
                        }
                    }
                    return uploadOnce(new ChangeSource(user, sessionId, steps), req, MAX_ATTEMPTS);
                },
                reply);
    }

    /** Who changes a space, and where the request's steps run. */
    private record ChangeSource(String user, String sessionId, SpaceSteps steps) {}

    private CompletableFuture<SyncOutcome<DataSyncResult>> syncOnce(ChangeSource source, DataSync req, int attempts) {
        String space = req.getSpace();
        List<String> ids = new ArrayList<>(req.getChangesCount());
        for (ItemChange change : req.getChangesList()) {
            ids.add(change.getItemId());
        }
        // One more than an answer carries tells whether it must say "more".
        int changedLimit = downloadMaxItems + 1;
        // A cursor beyond the space's own means the server lost data (a wiped store): the client starts over.
        CompletableFuture<SpaceRead> view = source.steps()
                .then(
                        SpaceSteps.call(() -> spaces.read(space, ids, req.getCursor(), changedLimit)),
                        first -> req.getCursor() > first.cursor()
                                ? SpaceSteps.call(() -> spaces.read(space, ids, 0, changedLimit))
                                : CompletableFuture.completedFuture(first));
        return source.steps().then(view, seen -> {
            DataSyncResult.Builder result = DataSyncResult.newBuilder().setSpace(space);
            List<Item> stored = decide(req, seen, result);
            addServerChanges(seen, stored, result);
            return commit(
                    source,
                    space,
                    seen.cursor(),
                    stored,
                    result.build(),
                    () -> syncOnce(source, req, attempts - 1),
                    attempts);
        });
    }

    /** The answer to each change; winning client deletions become tombstones, returned to be stored. */
    private List<Item> decide(DataSync req, SpaceRead view, DataSyncResult.Builder result) {
        List<Item> stored = new ArrayList<>();
        for (ItemChange change : req.getChangesList()) {
            String id = change.getItemId();
            Item server = view.items().get(id);
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
                            .setVersion(view.cursor() + stored.size() + 1)
                            .setDeleted(true)
                            .setModifiedMs(modifiedMs(change.getModifiedMs()))
                            .build();
                    stored.add(tombstone);
                    result.addDownload(tombstone);
                }
                default -> throw new IllegalStateException("unknown decision");
            }
        }
        return stored;
    }

    /**
     * Adds the items changed since the client's cursor that it did not mention, oldest first, within the
     * download budget. When the budget cuts them short, the cursor stops at the last one sent and
     * {@code more} tells the client to ask again.
     */
    private void addServerChanges(SpaceRead view, List<Item> stored, DataSyncResult.Builder result) {
        long cursor = view.cursor() + stored.size();
        int count = 0;
        long bytes = 0;
        for (Item item : view.changed()) {
            if (count >= downloadMaxItems || (count > 0 && bytes >= downloadMaxBytes)) {
                cursor = view.changed().get(count - 1).getVersion();
                result.setMore(true);
                break;
            }
            result.addDownload(item);
            bytes += item.getContent().size();
            count++;
        }
        result.setCursor(cursor);
    }

    private CompletableFuture<SyncOutcome<DataUploadResult>> uploadOnce(
            ChangeSource source, DataUpload req, int attempts) {
        String space = req.getSpace();
        List<String> ids = new ArrayList<>(req.getItemsCount());
        for (Item item : req.getItemsList()) {
            ids.add(item.getItemId());
        }
        return source.steps().then(SpaceSteps.call(() -> spaces.read(space, ids, 0, 0)), view -> {
            DataUploadResult.Builder result = DataUploadResult.newBuilder().setSpace(space);
            List<Item> stored = new ArrayList<>();
            for (Item item : req.getItemsList()) {
                String id = item.getItemId();
                Item current = view.items().get(id);
                Item kept;
                if (unchanged(item, current)) {
                    // A retried or repeated upload: no new version.
                    kept = current != null
                            ? current
                            : Item.newBuilder().setItemId(id).setDeleted(true).build();
                } else {
                    Item.Builder next = Item.newBuilder()
                            .setItemId(id)
                            .setVersion(view.cursor() + stored.size() + 1)
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
            result.setCursor(view.cursor() + stored.size());
            return commit(
                    source,
                    space,
                    view.cursor(),
                    stored,
                    result.build(),
                    () -> uploadOnce(source, req, attempts - 1),
                    attempts);
        });
    }

    /**
     * Stores {@code stored} (if any) and answers {@code answer}; when another change got there first, runs
     * {@code again} (a new read and decision) while attempts are left.
     */
    private <R> CompletableFuture<SyncOutcome<R>> commit(
            ChangeSource source,
            String space,
            long cursor,
            List<Item> stored,
            R answer,
            Supplier<CompletableFuture<SyncOutcome<R>>> again,
            int attempts) {
        if (stored.isEmpty()) {
            return CompletableFuture.completedFuture(new SyncOutcome<>(answer, null));
        }
        ChangeNotice notice = new ChangeNotice(
                source.user(),
                source.sessionId(),
                DataChanged.newBuilder()
                        .setSpace(space)
                        .addAllChanges(changes(stored))
                        .build());
        return source.steps().then(SpaceSteps.call(() -> spaces.commit(space, cursor, stored, notice)), committed -> {
            if (committed) {
                return CompletableFuture.completedFuture(new SyncOutcome<>(answer, null));
            }
            if (attempts <= 1) {
                return CompletableFuture.failedFuture(new RejectedExecutionException(
                        "space " + space + " changed under " + MAX_ATTEMPTS + " tries in a row"));
            }
            return again.get();
        });
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
