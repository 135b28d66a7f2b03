package io.livepush.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Item;
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
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir)) {
            SpaceIndex index = store.index("space.u");
            assertThat(index.cursor()).isZero();
            Item a = item("a", index.bump("a"), 10);
            Item b = Item.newBuilder().setItemId("b").setVersion(index.bump("b")).setDeleted(true).build();
            store.commit("space.u", index, List.of(a, b));
        }
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir)) {
            SpaceIndex index = store.index("space.u");
            assertThat(index.cursor()).isEqualTo(2);
            assertThat(index.versions()).containsExactly(java.util.Map.entry("a", 1L), java.util.Map.entry("b", 2L));
            assertThat(store.item("space.u", "a").orElseThrow().getContent().size()).isEqualTo(10);
            assertThat(store.item("space.u", "b").orElseThrow().getDeleted()).isTrue();
            assertThat(store.item("space.v", "a")).isEmpty();
            assertThat(store.index("space.v").cursor()).isZero();
        }
    }

    @Test
    void holdsItemsAtTheDefaultSizeLimitAndSpacesWithThousandsOfItems() throws Exception {
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir)) {
            SpaceIndex index = store.index("space.big");
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                String id = "item-" + i + "-" + "x".repeat(40);
                items.add(item(id, index.bump(id), i < 20 ? 65536 : 16));
            }
            store.commit("space.big", index, items);
            assertThat(store.index("space.big").versions()).hasSize(5_000);
            assertThat(store.item("space.big", items.get(3).getItemId()).orElseThrow().getContent().size()).isEqualTo(65536);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
        try (ChronicleSpaceStore store = ChronicleSpaceStore.open(dir)) {
            assertThatThrownBy(() -> ChronicleSpaceStore.open(dir)).isInstanceOf(IllegalStateException.class);
        }
    }

    private static Item item(String id, long version, int size) {
        byte[] content = new byte[size];
        new Random(version).nextBytes(content);
        return Item.newBuilder().setItemId(id).setVersion(version).setContent(ByteString.copyFrom(content)).build();
    }
}
