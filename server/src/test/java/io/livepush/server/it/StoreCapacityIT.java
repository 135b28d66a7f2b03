package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.sync.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The capacity flags of the applet and data-sync stores reach the real stores: past them a new
 * entry is refused with {@code LIMIT_EXCEEDED} (HTTP 503 on the admin API), updates still fit, and
 * the metrics show entries, capacity and fill ratio.
 */
class StoreCapacityIT {
    static final long APPLETS = 2;
    static final long ITEMS = 4;
    static final long SPACES = 2;

    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(
            b -> b.appletMaxEntries(APPLETS).syncMaxItems(ITEMS).syncMaxSpaces(SPACES));

    @Test
    void appletsPastTheirCapacityAreRefusedButUpdatesFit() throws Exception {
        EngineUnderTest.assumeEmbedded(
                "--applet-max-entries bounds the embedded store; Redis is bounded by its maxmemory");
        AdminClient api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
        try (TestClient c = server.connect("cap-applets")) {
            assertThat(c.appletUpdate("cap.room", "a1", "x", 0).hasApplets()).isTrue();
            assertThat(c.appletUpdate("cap.room", "a2", "x", 0).hasApplets()).isTrue();

            assertThat(c.appletUpdate("cap.room", "a3", "x", 0).getError().getCode())
                    .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            AdminClient.Reply refused = api.put(
                    "/api/v1/rooms/cap.other/applets/b1", AdminClient.object().put("text", "y"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(c.appletUpdate("cap.room", "a1", "updated", 0)
                            .getApplets()
                            .getStates(0)
                            .getVersion())
                    .isEqualTo(2);

            String metrics = api.getWithKey("/metrics", null).body();
            assertThat(value(metrics, "push_store_entries{store=\"applets\"}")).isEqualTo(APPLETS);
            assertThat(value(metrics, "push_store_capacity_entries{store=\"applets\"}"))
                    .isEqualTo(APPLETS);
            assertThat(value(metrics, "push_store_fill_ratio{store=\"applets\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void syncItemsAndSpacesPastTheirCapacityAreRefusedWhole() throws Exception {
        EngineUnderTest.assumeEmbedded("--sync-max-items and --sync-max-spaces bound the embedded store; in Redis a"
                + " space holds at most 10,000 items (ClusterIT) and Redis's maxmemory bounds the rest");
        AdminClient api = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
        try (TestClient u1 = server.connect("cap1");
                TestClient u2 = server.connect("cap2");
                TestClient u3 = server.connect("cap3")) {
            assertThat(upload(u1, "space.cap1", item("a"), item("b")).hasDataUpload())
                    .isTrue();
            assertThat(error(upload(u1, "space.cap1", item("c"), item("d"), item("e"))))
                    .as("5 items > 4")
                    .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(upload(u2, "space.cap2", item("c")).hasDataUpload()).isTrue();
            assertThat(error(upload(u3, "space.cap3", item("a"))))
                    .as("3 spaces > 2")
                    .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(upload(u2, "space.cap2", item("d")).hasDataUpload())
                    .as("4 items")
                    .isTrue();
            assertThat(error(upload(u2, "space.cap2", item("e"))))
                    .as("5 items > 4")
                    .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            ServerFrame update = upload(u1, "space.cap1", item("a", "changed"));
            assertThat(update.getDataUpload().getItems(0).getVersion())
                    .as("an update still fits")
                    .isEqualTo(3);

            String metrics = api.getWithKey("/metrics", null).body();
            assertThat(value(metrics, "push_store_entries{store=\"sync_items\"}"))
                    .isEqualTo(ITEMS);
            assertThat(value(metrics, "push_store_capacity_entries{store=\"sync_items\"}"))
                    .isEqualTo(ITEMS);
            assertThat(value(metrics, "push_store_entries{store=\"sync_spaces\"}"))
                    .isEqualTo(SPACES);
            assertThat(value(metrics, "push_store_capacity_entries{store=\"sync_spaces\"}"))
                    .isEqualTo(SPACES);
            assertThat(value(metrics, "push_store_evictions_total{store=\"sync_items\"}"))
                    .isZero();
        }
    }

    private static ServerFrame upload(TestClient c, String space, Item... items) {
        return c.request(ClientFrame.newBuilder()
                .setDataUpload(DataUpload.newBuilder().setSpace(space).addAllItems(List.of(items))));
    }

    private static ErrorCode error(ServerFrame f) {
        assertThat(f.hasError()).as("answer %s", f).isTrue();
        return f.getError().getCode();
    }

    private static Item item(String id) {
        return item(id, "content of " + id);
    }

    private static Item item(String id, String content) {
        ByteString bytes = ByteString.copyFrom(content, StandardCharsets.UTF_8);
        return Item.newBuilder()
                .setItemId(id)
                .setContent(bytes)
                .setFingerprint(Fingerprints.of(bytes))
                .build();
    }

    private static double value(String scrape, String sample) {
        int brace = sample.indexOf('{');
        String name = sample.substring(0, brace);
        String labels = sample.substring(brace + 1, sample.length() - 1);
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$")
                .matcher(scrape);
        while (m.find()) {
            if (m.group(1).contains(labels)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError(sample + " not in the scrape");
    }
}
