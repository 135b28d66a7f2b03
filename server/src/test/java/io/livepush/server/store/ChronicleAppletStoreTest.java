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

        assertThat(store.list("lobby")).containsExactly(state("lobby", "vote", 2, "d"), state("lobby", "wheel", 1, "b"));
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
        AppletState large = AppletState.newBuilder().setRoom("lobby").setAppletId("canvas").setVersion(9)
                .setUpdatedMs(5).setContent(ByteString.copyFrom(new byte[32 * 1024])).build();
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
    void namesWithTheKeySeparatorAreRefused() {
        open();

        assertThatThrownBy(() -> store.put(state("lobby", "a/b", 1, "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    private void open() {
        log = ChronicleMessageLog.open(TestStores.config(dir));
        store = ChronicleAppletStore.open(log);
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
        return AppletState.newBuilder().setRoom(room).setAppletId(id).setVersion(version)
                .setUpdatedMs(1_000 + version).setContent(ByteString.copyFromUtf8(content)).build();
    }
}
