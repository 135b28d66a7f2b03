package io.livepush.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.AppletState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleAppletStoreTest {
    @TempDir
    Path dir;

    private static final long CAPACITY = 10_000;

    private ChronicleMessageLog log;
    private ChronicleAppletStore store;

    @AfterEach
    void close() throws IOException {
        closeStores();
    }

    @Test
    void putThenFindRoundTrips() {
        open();
        AppletState wheel = state("lobby", "wheel", 3, "angle=90");

        store.put(wheel);

        assertThat(store.find("lobby", "wheel")).contains(wheel);
        assertThat(store.find("lobby", "vote")).isEmpty();
        assertThat(store.find("other", "wheel")).isEmpty();
        assertThat(Files.exists(dir.resolve(ChronicleAppletStore.FILE))).isTrue();
    }

    @Test
    void listHoldsOnlyTheRoomsApplets_orderedById_latestStateEach() {
        open();
        store.put(state("lobby", "vote", 1, "a"));
        store.put(state("lobby", "wheel", 1, "b"));
        store.put(state("lobby-2", "quiz", 1, "c"));
        store.put(state("lobby", "vote", 2, "d"));

        assertThat(store.list("lobby"))
                .containsExactly(state("lobby", "vote", 2, "d"), state("lobby", "wheel", 1, "b"));
        assertThat(store.list("lobby-2")).containsExactly(state("lobby-2", "quiz", 1, "c"));
        assertThat(store.list("empty")).isEmpty();
        assertThat(store.size()).isEqualTo(3);
    }

    @Test
    void statesAndTheRoomIndexSurviveReopening() throws IOException {
        open();
        List<AppletState> written = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            AppletState s = state("big-room", String.format("applet-%03d", i), i + 1, "content " + i);
            store.put(s);
            written.add(s);
        }
        AppletState large = AppletState.newBuilder()
                .setRoom("lobby")
                .setAppletId("canvas")
                .setVersion(9)
                .setUpdatedMs(5)
                .setContent(ByteString.copyFrom(new byte[32 * 1024]))
                .build();
        store.put(large);
        closeStores();

        open();

        assertThat(store.list("big-room")).containsExactlyElementsOf(written);
        assertThat(store.find("lobby", "canvas")).contains(large);
        assertThat(store.size()).isEqualTo(301);
    }

    @Test
    void emptyContentIsAState() {
        open();
        AppletState empty = state("lobby", "vote", 1, "");

        store.put(empty);

        assertThat(store.list("lobby")).containsExactly(empty);
    }

    @Test
    void pastItsCapacityANewAppletIsRefusedNamingTheFlag_updatesStillFit() throws IOException {
        open(3);
        for (int i = 0; i < 3; i++) {
            store.put(state("lobby", "a" + i, 1, "x"));
        }

        assertThatThrownBy(() -> store.put(state("lobby", "a3", 1, "x")))
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining("--applet-max-entries")
                .hasMessageContaining("3 applets, capacity 3");
        assertThat(store.find("lobby", "a3")).isEmpty();
        assertThat(store.list("lobby")).hasSize(3);

        store.put(state("lobby", "a1", 2, "y"));
        assertThat(store.find("lobby", "a1")).contains(state("lobby", "a1", 2, "y"));
        assertThat(store.size()).isEqualTo(3);

        closeStores();
        open(4);
        assertThat(store.size()).as("counted again from the file").isEqualTo(3);
        assertThat(store.capacity()).isEqualTo(4);
        store.put(state("other", "b", 1, "z"));
        assertThatThrownBy(() -> store.put(state("other", "c", 1, "z"))).isInstanceOf(StoreFullException.class);
    }

    @Test
    void theFileStartsAtASixteenthOfItsCapacityAndGrowsWithItsApplets() throws IOException {
        open(160_000);
        long fresh = Files.size(dir.resolve(ChronicleAppletStore.FILE));
        closeStores();
        Files.delete(dir.resolve(ChronicleAppletStore.FILE));
        open(10_000);
        long small = Files.size(dir.resolve(ChronicleAppletStore.FILE));
        assertThat(fresh)
                .as("160,000 applets at 1 KiB start in about 14 MB, not 180 MB")
                .isLessThan(20_000_000L);
        assertThat(fresh).isGreaterThan(4 * small);

        AppletState big = AppletState.newBuilder()
                .setRoom("lobby")
                .setAppletId("x")
                .setVersion(1)
                .setContent(ByteString.copyFrom(new byte[1000]))
                .build();
        for (int i = 0; i < 10_000; i++) {
            store.put(big.toBuilder().setAppletId("a" + i).build());
        }

        assertThat(store.size()).isEqualTo(10_000);
        assertThat(Files.size(dir.resolve(ChronicleAppletStore.FILE)))
                .as("grown by tiers")
                .isGreaterThan(4 * small);
        assertThatThrownBy(() -> store.put(big)).isInstanceOf(StoreFullException.class);
    }

    @Test
    void namesWithTheKeySeparatorAreRefused() {
        open();

        assertThatThrownBy(() -> store.put(state("lobby", "a/b", 1, "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    private void open() {
        open(CAPACITY);
    }

    private void open(long capacity) {
        log = ChronicleMessageLog.open(TestStores.config(dir));
        store = ChronicleAppletStore.open(log, capacity);
    }

    private void closeStores() throws IOException {
        if (store != null) {
            store.close();
            store = null;
        }
        if (log != null) {
            log.close();
            log = null;
        }
    }

    private static AppletState state(String room, String id, long version, String content) {
        return AppletState.newBuilder()
                .setRoom(room)
                .setAppletId(id)
                .setVersion(version)
                .setUpdatedMs(1_000 + version)
                .setContent(ByteString.copyFromUtf8(content))
                .build();
    }
}
