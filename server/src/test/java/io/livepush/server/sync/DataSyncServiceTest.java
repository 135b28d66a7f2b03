package io.livepush.server.sync;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
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
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DataSyncService}'s compare-and-set loop over a store that answers later, from its own thread (as Redis
 * does), and whose cursor another node moves under a request a given number of times.
 */
class DataSyncServiceTest {
    private final HomeExecutors homes = new HomeExecutors(1, 1_000);
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final RacedSpaces spaces = new RacedSpaces(io);
    private final DataSyncService service = new DataSyncService(homes, spaces, Clock.systemUTC(), 2, 1 << 20);

    @AfterEach
    void stop() {
        io.shutdownNow();
        homes.shutdownGracefully();
    }

    @Test
    void anUploadThatLostTheRaceIsDecidedAgainOnTheNewCursor() throws Exception {
        spaces.racesLeft = 3;
        DataUploadResult r = upload(item("x", "mine")).answer();
        assertThat(r.getItems(0).getVersion())
                .as("after three changes of another node")
                .isEqualTo(4);
        assertThat(r.getCursor()).isEqualTo(4);
        assertThat(spaces.items.get("x").getContent().toStringUtf8()).isEqualTo("mine");
        assertThat(spaces.decidedOnHome).isTrue();
    }

    @Test
    void aSpaceThatKeepsChangingIsAnsweredBusyWithNothingStored() {
        spaces.racesLeft = DataSyncService.MAX_ATTEMPTS;
        assertThatThrownBy(() -> upload(item("x", "mine")))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(RejectedExecutionException.class);
        assertThat(spaces.items).doesNotContainKey("x");
    }

    @Test
    void aSyncPagesTheServersChangesAndDeletesWhatTheClientDeleted() throws Exception {
        upload(item("a", "a"), item("b", "b"), item("c", "c"));
        DataSyncResult first = sync(
                0,
                ItemChange.newBuilder()
                        .setItemId("c")
                        .setBaseVersion(3)
                        .setDeleted(true)
                        .build());
        assertThat(first.getDownloadList())
                .extracting(Item::getItemId, Item::getVersion)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("c", 4L),
                        org.assertj.core.groups.Tuple.tuple("a", 1L),
                        org.assertj.core.groups.Tuple.tuple("b", 2L));
        assertThat(first.getMore()).isFalse();
        assertThat(first.getCursor()).isEqualTo(4);

        upload(item("d", "d"));
        DataSyncResult paged = sync(0);
        assertThat(paged.getDownloadList()).extracting(Item::getItemId).containsExactly("a", "b");
        assertThat(paged.getMore()).isTrue();
        assertThat(paged.getCursor()).isEqualTo(2);
        assertThat(sync(99).getCursor())
                .as("a cursor past the space's starts over")
                .isEqualTo(2);
    }

    private SyncOutcome<DataUploadResult> upload(Item... items) throws Exception {
        CompletableFuture<SyncOutcome<DataUploadResult>> done = new CompletableFuture<>();
        service.upload(
                "u",
                "s1",
                DataUpload.newBuilder()
                        .setSpace("space.u")
                        .addAllItems(List.of(items))
                        .build(),
                Reply.to(done));
        return done.get(10, TimeUnit.SECONDS);
    }

    private DataSyncResult sync(long cursor, ItemChange... changes) throws Exception {
        CompletableFuture<SyncOutcome<DataSyncResult>> done = new CompletableFuture<>();
        service.sync(
                "u",
                "s1",
                DataSync.newBuilder()
                        .setSpace("space.u")
                        .setCursor(cursor)
                        .addAllChanges(List.of(changes))
                        .build(),
                Reply.to(done));
        return done.get(10, TimeUnit.SECONDS).answer();
    }

    private static Item item(String id, String content) {
        ByteString bytes = ByteString.copyFrom(content, UTF_8);
        return Item.newBuilder()
                .setItemId(id)
                .setContent(bytes)
                .setFingerprint(Fingerprints.of(bytes))
                .build();
    }

    /** One space in memory, answering on {@code io}; each commit while races are left loses to another node's. */
    private static final class RacedSpaces implements Spaces {
        private final Executor io;
        final Map<String, Item> items = new HashMap<>();
        long cursor;
        int racesLeft;
        volatile boolean decidedOnHome = true;

        RacedSpaces(Executor io) {
            this.io = io;
        }

        @Override
        public CompletableFuture<SpaceRead> read(
                String space, Collection<String> itemIds, long since, int changedLimit) {
            checkHome();
            return CompletableFuture.supplyAsync(
                    () -> {
                        Map<String, Item> asked = new HashMap<>();
                        for (String id : itemIds) {
                            if (items.containsKey(id)) {
                                asked.put(id, items.get(id));
                            }
                        }
                        List<Item> changed = new ArrayList<>();
                        items.values().stream()
                                .filter(i -> i.getVersion() > since && !itemIds.contains(i.getItemId()))
                                .sorted(Comparator.comparingLong(Item::getVersion))
                                .limit(changedLimit)
                                .forEach(changed::add);
                        return new SpaceRead(cursor, asked, changed);
                    },
                    io);
        }

        @Override
        public CompletableFuture<Boolean> commit(
                String space, long expectedCursor, List<Item> changed, ChangeNotice notice) {
            checkHome();
            return CompletableFuture.supplyAsync(
                    () -> {
                        if (racesLeft > 0) {
                            racesLeft--;
                            cursor++;
                            items.put(
                                    "other",
                                    Item.newBuilder()
                                            .setItemId("other")
                                            .setVersion(cursor)
                                            .build());
                        }
                        if (cursor != expectedCursor) {
                            return false;
                        }
                        for (Item item : changed) {
                            items.put(item.getItemId(), item);
                            cursor = item.getVersion();
                        }
                        return true;
                    },
                    io);
        }

        private void checkHome() {
            if (!Thread.currentThread().getName().startsWith("push-home")) {
                decidedOnHome = false;
            }
        }
    }
}
