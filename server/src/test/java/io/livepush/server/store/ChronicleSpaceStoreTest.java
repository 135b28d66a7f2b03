package io.livepush.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Item;
import io.livepush.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChronicleSpaceStoreTest {
    @TempDir
    Path dir;

    @Test
    void itemsAndIndexSurviveReopening() throws Exception {
        try (ChronicleSpaceStore store = open()) {
            SpaceIndex index = store.index("space.u");
            assertThat(index.cursor()).isZero();
            Item a = item("a", index.bump("a"), 10);
            Item b = Item.newBuilder()
                    .setItemId("b")
                    .setVersion(index.bump("b"))
                    .setDeleted(true)
                    .build();
            store.commit("space.u", index, List.of(a, b));
        }
        try (ChronicleSpaceStore store = open()) {
            SpaceIndex index = store.index("space.u");
            assertThat(index.cursor()).isEqualTo(2);
            assertThat(index.versions()).containsExactly(java.util.Map.entry("a", 1L), java.util.Map.entry("b", 2L));
            assertThat(store.item("space.u", "a").orElseThrow().getContent().size())
                    .isEqualTo(10);
            assertThat(store.item("space.u", "b").orElseThrow().getDeleted()).isTrue();
            assertThat(store.item("space.v", "a")).isEmpty();
            assertThat(store.index("space.v").cursor()).isZero();
        }
    }

    @Test
    void holdsItemsAtTheDefaultSizeLimitAndSpacesWithThousandsOfItems() throws Exception {
        try (ChronicleSpaceStore store = open()) {
            SpaceIndex index = store.index("space.big");
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                String id = "item-" + i + "-" + "x".repeat(40);
                items.add(item(id, index.bump(id), i < 20 ? 65536 : 16));
            }
            store.commit("space.big", index, items);
            assertThat(store.index("space.big").versions()).hasSize(5_000);
            assertThat(store.item("space.big", items.get(3).getItemId())
                            .orElseThrow()
                            .getContent()
                            .size())
                    .isEqualTo(65536);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (ChronicleSpaceStore store = open()) {
            assertThatThrownBy(() -> open()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aCommitPastTheItemCapacityIsRefusedWholeNamingTheFlag() throws Exception {
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir, 3, 100)) {
            SpaceIndex index = store.index("space.a");
            store.commit("space.a", index, List.of(item("a", index.bump("a"), 1), item("b", index.bump("b"), 1)));

            SpaceIndex tooMany = store.index("space.a");
            List<Item> changes = List.of(
                    item("a", tooMany.bump("a"), 2), item("c", tooMany.bump("c"), 2), item("d", tooMany.bump("d"), 2));
            assertThatThrownBy(() -> store.commit("space.a", tooMany, changes))
                    .isInstanceOf(StoreFullException.class)
                    .hasMessageContaining("--sync-max-items")
                    .hasMessageContaining("2 items, capacity 3, 2 new in space.a");
            assertThat(store.index("space.a").cursor()).as("nothing stored").isEqualTo(2);
            assertThat(store.item("space.a", "c")).isEmpty();
            assertThat(store.item("space.a", "a").orElseThrow().getVersion()).isEqualTo(1);
            assertThat(store.itemCount()).isEqualTo(2);

            SpaceIndex fits = store.index("space.a");
            store.commit("space.a", fits, List.of(item("a", fits.bump("a"), 2), item("c", fits.bump("c"), 2)));
            assertThat(store.itemCount()).isEqualTo(3);
            SpaceIndex updates = store.index("space.a");
            store.commit("space.a", updates, List.of(item("b", updates.bump("b"), 3)));
            assertThat(store.item("space.a", "b").orElseThrow().getVersion()).isEqualTo(5);
            assertThat(store.itemCount()).as("an update adds no entry").isEqualTo(3);
        }
    }

    @Test
    void aCommitToANewSpacePastTheSpaceCapacityIsRefusedNamingTheFlag() throws Exception {
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir, 100, 2)) {
            for (String space : List.of("space.a", "space.b")) {
                SpaceIndex index = store.index(space);
                store.commit(space, index, List.of(item("x", index.bump("x"), 1)));
            }
            SpaceIndex third = store.index("space.c");
            List<Item> changes = List.of(item("x", third.bump("x"), 1));

            assertThatThrownBy(() -> store.commit("space.c", third, changes))
                    .isInstanceOf(StoreFullException.class)
                    .hasMessageContaining("--sync-max-spaces")
                    .hasMessageContaining("2 spaces, capacity 2");
            assertThat(store.spaceCount()).isEqualTo(2);
            assertThat(store.itemCount())
                    .as("the refused space's items are not counted")
                    .isEqualTo(2);
            assertThat(store.item("space.c", "x")).isEmpty();

            SpaceIndex existing = store.index("space.a");
            store.commit("space.a", existing, List.of(item("y", existing.bump("y"), 1)));
            assertThat(store.itemCount()).isEqualTo(3);
        }
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir, 100, 3)) {
            assertThat(store.spaceCount()).as("counted again from the files").isEqualTo(2);
            assertThat(store.itemCount()).isEqualTo(3);
            assertThat(store.maxSpaces()).isEqualTo(3);
            assertThat(store.maxItems()).isEqualTo(100);
            SpaceIndex third = store.index("space.c");
            store.commit("space.c", third, List.of(item("x", third.bump("x"), 1)));
            assertThat(store.spaceCount()).isEqualTo(3);
        }
    }

    @Test
    void aSpaceIndexTooLargeForItsFileIsRefusedAndTheCommitsNewItemsTakeNoRoom() throws Exception {
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir, 1_000_000, 10)) {
            StoreFullException refused = null;
            long itemsBefore = 0;
            long cursorBefore = 0;
            int n = 0;
            while (refused == null && n < 200_000) {
                itemsBefore = store.itemCount();
                SpaceIndex index = store.index("space.big");
                cursorBefore = index.cursor();
                List<Item> items = new ArrayList<>();
                for (int i = 0; i < 500; i++, n++) {
                    String id = String.format("item-%025d", n);
                    items.add(item(id, index.bump(id), 1));
                }
                try {
                    store.commit("space.big", index, items);
                } catch (StoreFullException e) {
                    refused = e;
                }
            }

            assertThat(refused).isNotNull();
            assertThat(refused.getMessage())
                    .contains("sync/spaces.dat", "too many items in one space", "--sync-max-spaces");
            assertThat(store.index("space.big").cursor()).isEqualTo(cursorBefore);
            assertThat(store.itemCount()).isEqualTo(itemsBefore);
            assertThat(store.item("space.big", String.format("item-%025d", n - 1)))
                    .isEmpty();
        }
    }

    @Test
    void filesStartAtASixteenthOfTheirCapacity() throws Exception {
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir, 160_000, 16_000)) {
            assertThat(Files.size(dir.resolve("sync").resolve(ChronicleSpaceStore.ITEMS_FILE)))
                    .as("160,000 items at 1 KiB start in about 14 MB")
                    .isLessThan(20_000_000L);
            assertThat(Files.size(dir.resolve("sync").resolve(ChronicleSpaceStore.SPACES_FILE)))
                    .as("16,000 indexes at 2 KiB start in about 3 MB")
                    .isLessThan(5_000_000L);
        }
    }

    private ChronicleSpaceStore open() {
        return ChronicleSpaceStore.open(dir, ServerConfig.DEFAULT_SYNC_MAX_ITEMS, ServerConfig.DEFAULT_SYNC_MAX_SPACES);
    }

    private static Item item(String id, long version, int size) {
        byte[] content = new byte[size];
        new Random(version).nextBytes(content);
        return Item.newBuilder()
                .setItemId(id)
                .setVersion(version)
                .setContent(ByteString.copyFrom(content))
                .build();
    }
}
