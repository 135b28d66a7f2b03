package io.livepush.server.it;

import static io.livepush.proto.v1.ConflictPolicy.CLIENT_WINS;
import static io.livepush.proto.v1.ConflictPolicy.NEWEST_WINS;
import static io.livepush.proto.v1.ConflictPolicy.SERVER_WINS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ConflictPolicy;
import io.livepush.proto.v1.DataChanged;
import io.livepush.proto.v1.DataSync;
import io.livepush.proto.v1.DataSyncResult;
import io.livepush.proto.v1.DataUpload;
import io.livepush.proto.v1.DataUploadResult;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;
import io.livepush.proto.v1.Ping;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import io.livepush.server.sync.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PROTOCOL.md semantics 6: two-way data sync between a user's devices, over real sockets and real
 * Chronicle files. Each test uses its own user, hence its own space.
 */
class DataSyncIT {
    static final int MAX_ITEM_BYTES = 1024;
    static final int MAX_ITEMS = 10;

    @RegisterExtension
    static final PushServerExtension server =
            new PushServerExtension(b -> b.dataMaxItemBytes(MAX_ITEM_BYTES).dataMaxItemsPerRequest(MAX_ITEMS));

    @Test
    void twoDevicesEditingDifferentItemsConverge() throws Exception {
        try (TestClient a = server.connect("ds1");
                TestClient b = server.connect("ds1")) {
            String space = "space.ds1";
            long ca = pushEdits(a, space, 0, SERVER_WINS, Map.of("x", "from a")).getCursor();
            long cb = pushEdits(b, space, 0, SERVER_WINS, Map.of("y", "from b")).getCursor();

            DataSyncResult ra = sync(a, space, ca, SERVER_WINS);
            assertThat(contents(ra)).containsExactlyEntriesOf(Map.of("y", "from b"));
            DataSyncResult rb = sync(b, space, 0, SERVER_WINS, change("y", "from b", 0));
            assertThat(contents(rb)).containsExactlyEntriesOf(Map.of("x", "from a"));
            assertThat(rb.getUploadIdsList()).isEmpty();
            assertThat(ra.getCursor()).isEqualTo(rb.getCursor()).isEqualTo(2);
            assertThat(cb).isEqualTo(2);
        }
    }

    @Test
    void serverWinsSendsTheServerItemToTheLateDevice() throws Exception {
        try (TestClient a = server.connect("ds2");
                TestClient b = server.connect("ds2")) {
            String space = "space.ds2";
            long v1 = upload(a, space, item("note", "v1")).getItems(0).getVersion();
            pushEdits(a, space, v1, SERVER_WINS, Map.of("note", "a's edit"));

            DataSyncResult rb = sync(b, space, v1, SERVER_WINS, change("note", "b's edit", v1));
            assertThat(rb.getUploadIdsList()).isEmpty();
            assertThat(contents(rb)).containsExactlyEntriesOf(Map.of("note", "a's edit"));
        }
    }

    @Test
    void clientWinsTakesTheLateDevicesContentAndTheOtherDeviceFollows() throws Exception {
        try (TestClient a = server.connect("ds3");
                TestClient b = server.connect("ds3")) {
            String space = "space.ds3";
            long v1 = upload(a, space, item("note", "v1")).getCursor();
            long ca = pushEdits(a, space, v1, CLIENT_WINS, Map.of("note", "a's edit"))
                    .getCursor();

            DataSyncResult rb = sync(b, space, v1, CLIENT_WINS, change("note", "b's edit", v1));
            assertThat(rb.getUploadIdsList()).containsExactly("note");
            assertThat(rb.getDownloadList()).isEmpty();
            upload(b, space, item("note", "b's edit"));

            assertThat(contents(sync(a, space, ca, CLIENT_WINS))).containsExactlyEntriesOf(Map.of("note", "b's edit"));
        }
    }

    @Test
    void newestWinsPicksTheLaterEditAndTiesGoToTheServer() throws Exception {
        try (TestClient a = server.connect("ds4");
                TestClient b = server.connect("ds4");
                TestClient c = server.connect("ds4")) {
            String space = "space.ds4";
            long v1 = upload(a, space, item("n1", "v1", 100), item("n2", "v1", 100))
                    .getCursor();
            upload(a, space, item("n1", "a at 500", 500), item("n2", "a at 500", 500));

            // b edited n1 later than a (wins) and n2 earlier (loses); c edited n2 at the same ms as a (tie: server).
            DataSyncResult rb = sync(
                    b, space, v1, NEWEST_WINS, change("n1", "b at 900", v1, 900), change("n2", "b at 200", v1, 200));
            assertThat(rb.getUploadIdsList()).containsExactly("n1");
            assertThat(contents(rb)).containsExactlyEntriesOf(Map.of("n2", "a at 500"));
            upload(b, space, item("n1", "b at 900", 900));

            DataSyncResult rc = sync(c, space, v1, NEWEST_WINS, change("n2", "c at 500", v1, 500));
            assertThat(rc.getUploadIdsList()).isEmpty();
            assertThat(contents(rc)).containsExactlyInAnyOrderEntriesOf(Map.of("n1", "b at 900", "n2", "a at 500"));
        }
    }

    @Test
    void threeDevicesEditingSameAndDifferentItemsConvergeUnderEachPolicy() throws Exception {
        for (ConflictPolicy policy : List.of(SERVER_WINS, CLIENT_WINS, NEWEST_WINS)) {
            String user = "ds5" + policy.name().toLowerCase().replace("_", "");
            String space = "space." + user;
            try (TestClient a = server.connect(user);
                    TestClient b = server.connect(user);
                    TestClient c = server.connect(user)) {
                long base = upload(a, space, item("shared", "base", 1)).getCursor();
                pushEdits(a, space, base, policy, Map.of("shared", "a", "only-a", "a"), 10);
                DataSyncResult rb =
                        sync(b, space, base, policy, change("shared", "b", base, 20), change("only-b", "b", 0, 20));
                if (!rb.getUploadIdsList().isEmpty()) {
                    upload(
                            b,
                            space,
                            rb.getUploadIdsList().stream()
                                    .map(id -> item(id, "b", 20))
                                    .toArray(Item[]::new));
                }
                String expectedShared = policy == SERVER_WINS ? "a" : "b";
                assertThat(rb.getUploadIdsList())
                        .containsExactlyInAnyOrderElementsOf(
                                policy == SERVER_WINS ? List.of("only-b") : List.of("shared", "only-b"));

                // c was offline the whole time: it gets the converged state of every item.
                DataSyncResult rc = sync(c, space, 0, policy);
                assertThat(contents(rc))
                        .as(policy.name())
                        .containsExactlyInAnyOrderEntriesOf(
                                Map.of("shared", expectedShared, "only-a", "a", "only-b", "b"));
            }
        }
    }

    @Test
    void offlineDeviceCatchingUpGetsOnlyTheLatestOfEachItemWithTombstones() throws Exception {
        try (TestClient a = server.connect("ds6");
                TestClient offline = server.connect("ds6")) {
            String space = "space.ds6";
            long cursor = 0;
            for (int round = 1; round <= 20; round++) {
                List<Item> edits = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    edits.add(item("item" + i, "round " + round));
                }
                cursor = upload(a, space, edits.toArray(Item[]::new)).getCursor();
            }
            DataSyncResult deleted =
                    sync(a, space, cursor, SERVER_WINS, deletion("item3", cursor), deletion("item4", cursor));
            assertThat(deleted.getDownloadList()).allMatch(Item::getDeleted).hasSize(2);

            DataSyncResult r = sync(offline, space, 0, SERVER_WINS);
            assertThat(r.getCursor()).isEqualTo(102);
            assertThat(r.getMore()).isFalse();
            assertThat(r.getDownloadList()).hasSize(5);
            assertThat(contents(r))
                    .containsExactlyInAnyOrderEntriesOf(
                            Map.of("item0", "round 20", "item1", "round 20", "item2", "round 20"));
            assertThat(r.getDownloadList())
                    .filteredOn(Item::getDeleted)
                    .extracting(Item::getItemId)
                    .containsExactlyInAnyOrder("item3", "item4");
            assertThat(r.getDownloadList())
                    .filteredOn(Item::getDeleted)
                    .allMatch(i -> i.getContent().isEmpty());

            assertThat(sync(offline, space, r.getCursor(), SERVER_WINS).getDownloadList())
                    .isEmpty();
        }
    }

    @Test
    void aLongCatchUpComesInPagesBoundedByTheItemLimit() throws Exception {
        try (TestClient a = server.connect("ds7");
                TestClient fresh = server.connect("ds7")) {
            String space = "space.ds7";
            for (int batch = 0; batch < 3; batch++) {
                List<Item> items = new ArrayList<>();
                for (int i = 0; i < (batch < 2 ? MAX_ITEMS : 5); i++) {
                    items.add(item("b" + batch + "i" + i, "content"));
                }
                upload(a, space, items.toArray(Item[]::new));
            }
            DataSyncResult p1 = sync(fresh, space, 0, SERVER_WINS);
            DataSyncResult p2 = sync(fresh, space, p1.getCursor(), SERVER_WINS);
            DataSyncResult p3 = sync(fresh, space, p2.getCursor(), SERVER_WINS);
            assertThat(List.of(p1.getMore(), p2.getMore(), p3.getMore())).containsExactly(true, true, false);
            assertThat(List.of(p1.getCursor(), p2.getCursor(), p3.getCursor())).containsExactly(10L, 20L, 25L);
            assertThat(p1.getDownloadCount() + p2.getDownloadCount() + p3.getDownloadCount())
                    .isEqualTo(25);
        }
    }

    @Test
    void equalFingerprintsMoveNoContent() throws Exception {
        try (TestClient a = server.connect("ds8");
                TestClient b = server.connect("ds8")) {
            String space = "space.ds8";
            long v1 =
                    upload(a, space, item("same", "hello"), item("other", "x")).getCursor();
            long v2 = upload(a, space, item("same", "hello again")).getCursor();

            // b made the very same edit on its own: no content either way, b just learns the version.
            DataSyncResult r = sync(b, space, v1, SERVER_WINS, change("same", "hello again", v1));
            assertThat(r.getUploadIdsList()).isEmpty();
            assertThat(r.getDownloadList()).singleElement().satisfies(i -> {
                assertThat(i.getItemId()).isEqualTo("same");
                assertThat(i.getVersion()).isEqualTo(v2);
                assertThat(i.getContent()).isEmpty();
                assertThat(i.getFingerprint()).isEqualTo(fp("hello again"));
            });
            // A client-side "change" back to what the server already has moves nothing at all.
            DataSyncResult none = sync(b, space, v2, SERVER_WINS, change("other", "x", v1));
            assertThat(none.getUploadIdsList()).isEmpty();
            assertThat(none.getDownloadList()).isEmpty();
        }
    }

    @Test
    void badFingerprintStoresNothingOfTheRequest() throws Exception {
        try (TestClient a = server.connect("ds9")) {
            String space = "space.ds9";
            Item good = item("good", "fine");
            Item bad = item("bad", "real content").toBuilder()
                    .setContent(utf8("tampered"))
                    .build();
            ServerFrame answer = a.request(ClientFrame.newBuilder()
                    .setDataUpload(DataUpload.newBuilder()
                            .setSpace(space)
                            .addItems(good)
                            .addItems(bad)));
            assertThat(answer.getError().getCode()).isEqualTo(ErrorCode.BAD_FINGERPRINT);
            assertThat(answer.getError().getMessage()).contains("bad");

            DataSyncResult r = sync(a, space, 0, SERVER_WINS);
            assertThat(r.getDownloadList()).isEmpty();
            assertThat(r.getCursor()).isZero();
        }
    }

    @Test
    void interruptedUploadRetriedMakesNoDuplicateVersion() throws Exception {
        try (TestClient a = server.connect("ds10");
                TestClient b = server.connect("ds10")) {
            String space = "space.ds10";
            DataSyncResult plan = sync(a, space, 0, SERVER_WINS, change("doc", "draft", 0));
            assertThat(plan.getUploadIdsList()).containsExactly("doc");
            // The device sends the upload, then drops before it sees the answer.
            a.send(ClientFrame.newBuilder()
                    .setDataUpload(DataUpload.newBuilder().setSpace(space).addItems(item("doc", "draft"))));
            DataChanged first = b.await(ServerFrame::hasDataChanged).getDataChanged();
            a.close();

            try (TestClient again = server.connect("ds10")) {
                DataUploadResult retried = upload(again, space, item("doc", "draft"));
                assertThat(retried.getItems(0).getVersion())
                        .isEqualTo(first.getChanges(0).getBaseVersion())
                        .isEqualTo(1);
                assertThat(retried.getCursor()).isEqualTo(1);
                assertNoDataChanged(b);
            }
        }
    }

    @Test
    void dataChangedReachesTheUsersOtherDevicesButNotTheSenderNorOtherUsers() throws Exception {
        try (TestClient sender = server.connect("ds11");
                TestClient phone = server.connect("ds11");
                TestClient stranger = server.connect("ds11b")) {
            String space = "space.ds11";
            DataUploadResult up = upload(sender, space, item("pref", "dark"));
            DataChanged pushed = phone.await(ServerFrame::hasDataChanged).getDataChanged();
            assertThat(pushed.getSpace()).isEqualTo(space);
            assertThat(pushed.getChangesList()).singleElement().satisfies(c -> {
                assertThat(c.getItemId()).isEqualTo("pref");
                assertThat(c.getBaseVersion()).isEqualTo(up.getItems(0).getVersion());
                assertThat(c.getFingerprint()).isEqualTo(fp("dark"));
                assertThat(c.getDeleted()).isFalse();
            });
            assertNoDataChanged(sender);
            assertNoDataChanged(stranger);

            sync(sender, space, up.getCursor(), SERVER_WINS, deletion("pref", up.getCursor()));
            DataChanged deleted = phone.await(ServerFrame::hasDataChanged).getDataChanged();
            assertThat(deleted.getChanges(0).getDeleted()).isTrue();
            assertThat(deleted.getChanges(0).getBaseVersion()).isEqualTo(2);
        }
    }

    @Test
    void anotherUsersSpaceIsForbiddenAndCapsGrantSharedSpaces() throws Exception {
        try (TestClient c = TestClient.open(server.tcpAddress())) {
            c.connect(server.token(
                    "ds12", Duration.ofHours(1), List.of(new Capability(List.of("team.*"), Set.of(Operation.SYNC)))));
            assertThat(error(c, DataSync.newBuilder().setSpace("space.someone-else")))
                    .isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(error(c, DataSync.newBuilder().setSpace("other.space"))).isEqualTo(ErrorCode.FORBIDDEN);
            ServerFrame denied = c.request(ClientFrame.newBuilder()
                    .setDataUpload(DataUpload.newBuilder()
                            .setSpace("space.someone-else")
                            .addItems(item("x", "y"))));
            assertThat(denied.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);

            assertThat(sync(c, "space.ds12", 0, SERVER_WINS).getSpace()).isEqualTo("space.ds12");
            assertThat(upload(c, "team.blue", item("x", "y")).getCursor()).isEqualTo(1);
            assertThat(error(c, DataSync.newBuilder().setSpace("bad/name"))).isEqualTo(ErrorCode.BAD_REQUEST);
        }
    }

    @Test
    void aShareTokenOpensNeitherItsOwnersSpaceNorItsPushes() throws Exception {
        String share = server.channelToken("ds15", "room.shared", Set.of(Operation.SUBSCRIBE, Operation.HISTORY));
        try (TestClient owner = server.connect("ds15");
                TestClient viewer = TestClient.open(server.tcpAddress())) {
            viewer.connect(share);
            assertThat(error(viewer, DataSync.newBuilder().setSpace("space.ds15")))
                    .isEqualTo(ErrorCode.FORBIDDEN);
            ServerFrame denied = viewer.request(ClientFrame.newBuilder()
                    .setDataUpload(
                            DataUpload.newBuilder().setSpace("space.ds15").addItems(item("x", "y"))));
            assertThat(denied.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);

            upload(owner, "space.ds15", item("secret", "pin 1234"));
            assertNoDataChanged(viewer);
        }
    }

    @Test
    void limitsAreEnforcedWithLimitExceeded() throws Exception {
        try (TestClient c = server.connect("ds13")) {
            String space = "space.ds13";
            ServerFrame big = c.request(ClientFrame.newBuilder()
                    .setDataUpload(DataUpload.newBuilder()
                            .setSpace(space)
                            .addItems(item("big", "x".repeat(MAX_ITEM_BYTES + 1)))));
            assertThat(big.getError().getCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);

            DataSync.Builder many = DataSync.newBuilder().setSpace(space);
            for (int i = 0; i <= MAX_ITEMS; i++) {
                many.addChanges(change("i" + i, "c", 0));
            }
            assertThat(error(c, many)).isEqualTo(ErrorCode.LIMIT_EXCEEDED);

            assertThat(error(c, DataSync.newBuilder().setSpace(space).addChanges(change("x".repeat(129), "c", 0))))
                    .isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(error(c, DataSync.newBuilder().setSpace(space).addChanges(change("", "c", 0))))
                    .isEqualTo(ErrorCode.BAD_REQUEST);

            // Nothing of the refused requests was stored; items at the limits are fine.
            assertThat(sync(c, space, 0, SERVER_WINS).getDownloadList()).isEmpty();
            assertThat(upload(c, space, item("x".repeat(128), "x".repeat(MAX_ITEM_BYTES)))
                            .getCursor())
                    .isEqualTo(1);
        }
    }

    @Test
    void dataSurvivesARestart() throws Exception {
        String space = "space.ds14";
        try (TestClient a = server.connect("ds14")) {
            upload(a, space, item("keep", "me"), item("gone", "soon"));
            sync(a, space, 2, SERVER_WINS, deletion("gone", 2));
        }
        server.stop();
        server.start();
        try (TestClient b = server.connect("ds14")) {
            DataSyncResult r = sync(b, space, 0, SERVER_WINS);
            assertThat(r.getCursor()).isEqualTo(3);
            assertThat(contents(r)).containsExactlyEntriesOf(Map.of("keep", "me"));
            assertThat(r.getDownloadList())
                    .filteredOn(Item::getDeleted)
                    .extracting(Item::getItemId)
                    .containsExactly("gone");
            assertThat(upload(b, space, item("new", "after restart"))
                            .getItems(0)
                            .getVersion())
                    .isEqualTo(4);
        }
    }

    // --- helpers: a device's side of the exchange (ClusterIT uses them too)

    /** Syncs local edits and uploads whatever the server asks for; returns the upload's result. */
    private static DataUploadResult pushEdits(
            TestClient c, String space, long base, ConflictPolicy policy, Map<String, String> edits) {
        return pushEdits(c, space, base, policy, edits, 0);
    }

    private static DataUploadResult pushEdits(
            TestClient c, String space, long base, ConflictPolicy policy, Map<String, String> edits, long modifiedMs) {
        DataSyncResult plan = sync(
                c,
                space,
                base,
                policy,
                edits.entrySet().stream()
                        .map(e -> change(e.getKey(), e.getValue(), base, modifiedMs))
                        .toArray(ItemChange[]::new));
        assertThat(plan.getUploadIdsList()).containsExactlyInAnyOrderElementsOf(edits.keySet());
        return upload(
                c,
                space,
                plan.getUploadIdsList().stream()
                        .map(id -> item(id, edits.get(id), modifiedMs))
                        .toArray(Item[]::new));
    }

    static DataSyncResult sync(TestClient c, String space, long cursor, ConflictPolicy policy, ItemChange... changes) {
        ServerFrame f = c.request(ClientFrame.newBuilder()
                .setDataSync(DataSync.newBuilder()
                        .setSpace(space)
                        .setCursor(cursor)
                        .setPolicy(policy)
                        .addAllChanges(List.of(changes))));
        assertThat(f.hasDataSync()).as("answer %s", f).isTrue();
        return f.getDataSync();
    }

    static DataUploadResult upload(TestClient c, String space, Item... items) {
        ServerFrame f = c.request(ClientFrame.newBuilder()
                .setDataUpload(DataUpload.newBuilder().setSpace(space).addAllItems(List.of(items))));
        assertThat(f.hasDataUpload()).as("answer %s", f).isTrue();
        assertThat(f.getDataUpload().getItemsList())
                .allMatch(i -> i.getContent().isEmpty());
        return f.getDataUpload();
    }

    private static ErrorCode error(TestClient c, DataSync.Builder req) {
        ServerFrame f = c.request(ClientFrame.newBuilder().setDataSync(req));
        assertThat(f.hasError()).as("answer %s", f).isTrue();
        return f.getError().getCode();
    }

    /** A ping answered after every frame the server had queued for {@code c}: no DataChanged among them. */
    static void assertNoDataChanged(TestClient c) {
        int id = c.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(7)));
        List<ServerFrame> before = new ArrayList<>();
        c.await(f -> {
            before.add(f);
            return f.getReplyTo() == id;
        });
        assertThat(before).noneMatch(ServerFrame::hasDataChanged);
    }

    /** Contents of the downloaded items that carry content (not tombstones nor version-only entries). */
    static Map<String, String> contents(DataSyncResult r) {
        return r.getDownloadList().stream()
                .filter(i -> !i.getDeleted() && !i.getContent().isEmpty())
                .collect(Collectors.toMap(Item::getItemId, i -> i.getContent().toStringUtf8()));
    }

    static Item item(String id, String content) {
        return item(id, content, 0);
    }

    private static Item item(String id, String content, long modifiedMs) {
        return Item.newBuilder()
                .setItemId(id)
                .setContent(utf8(content))
                .setFingerprint(fp(content))
                .setModifiedMs(modifiedMs)
                .build();
    }

    private static ItemChange change(String id, String content, long base) {
        return change(id, content, base, 0);
    }

    private static ItemChange change(String id, String content, long base, long modifiedMs) {
        return ItemChange.newBuilder()
                .setItemId(id)
                .setFingerprint(fp(content))
                .setBaseVersion(base)
                .setModifiedMs(modifiedMs)
                .build();
    }

    private static ItemChange deletion(String id, long base) {
        return ItemChange.newBuilder()
                .setItemId(id)
                .setBaseVersion(base)
                .setDeleted(true)
                .build();
    }

    static ByteString fp(String content) {
        return Fingerprints.of(utf8(content));
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }
}
