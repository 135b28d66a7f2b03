package io.livepush.server.it;

import static io.livepush.server.it.Seqs.range;
import static io.livepush.server.it.Seqs.seqs;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.SeqRange;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.auth.Capability;
import io.livepush.server.auth.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PROTOCOL.md semantics 4: history with a have-set, a limit, and retention. */
class HistoryIT {
    static final int HISTORY_LIMIT = 50;
    static final int RETENTION = 100;

    @RegisterExtension
    static final PushServerExtension server =
            new PushServerExtension(b -> b.historyLimit(HISTORY_LIMIT).retentionMaxMessages(RETENTION));

    @Test
    void sinceSeqReturnsEveryLaterMessageInOrder() throws Exception {
        try (TestClient c = server.connect("h1")) {
            String epoch = publishAll(c, "hist.since", 30);
            HistoryResult r = history(c, "hist.since", 12, List.of(), 0);
            assertThat(r.getChannel()).isEqualTo("hist.since");
            assertThat(r.getEpoch()).isEqualTo(epoch);
            assertThat(r.getFirstSeq()).isEqualTo(1);
            assertThat(r.getLastSeq()).isEqualTo(30);
            assertThat(r.getTruncated()).isFalse();
            assertThat(seqs(r)).containsExactlyElementsOf(range(13, 30));
            assertThat(r.getMessages(0).getPayload().toStringUtf8()).isEqualTo("m13");
            assertThat(r.getMessages(0).getEpoch()).isEqualTo(epoch);
            assertThat(r.getMessages(0).getPublisher()).isEqualTo("h1");

            assertThat(history(c, "hist.since", 30, List.of(), 0).getMessagesList())
                    .as("nothing after last")
                    .isEmpty();
            assertThat(history(c, "hist.since", 0, List.of(), 0).getMessagesCount())
                    .isEqualTo(30);
        }
    }

    @Test
    void theLargestSinceSeqAsksForNothingOnTcpAndInTheAdminApi() throws Exception {
        try (TestClient c = server.connect("h9")) {
            publishAll(c, "hist.max", 5);
            HistoryResult r = history(c, "hist.max", Long.MAX_VALUE, List.of(), 0);
            assertThat(r.getMessagesList())
                    .as("since_seq + 1 must not wrap around")
                    .isEmpty();
            assertThat(r.getTruncated()).isFalse();
            assertThat(history(c, "hist.max", -1, List.of(), 0).getMessagesList())
                    .as("uint64 max")
                    .isEmpty();
        }
        AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
        AdminClient.Reply reply = admin.get("/api/v1/channels/hist.max/messages?since_seq=" + Long.MAX_VALUE);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("\"messages\":[]").contains("\"last_seq\":5");
    }

    @Test
    void haveRangesExcludeExactlyTheSeqsInsideThem() throws Exception {
        try (TestClient c = server.connect("h2")) {
            publishAll(c, "hist.have", 40);
            // Unsorted, overlapping, touching, single-seq and beyond-the-end ranges.
            List<SeqRange> have =
                    List.of(have(20, 25), have(3, 5), have(4, 12), have(13, 13), have(30, 30), have(38, 1000));
            HistoryResult r = history(c, "hist.have", 0, have, 0);
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= 40; s++) {
                long seq = s;
                if (have.stream().noneMatch(h -> h.getFrom() <= seq && seq <= h.getTo())) {
                    expected.add(seq);
                }
            }
            assertThat(expected).startsWith(1L, 2L, 14L);
            assertThat(seqs(r)).containsExactlyElementsOf(expected);

            HistoryResult withSince = history(c, "hist.have", 21, List.of(have(1, 28)), 0);
            assertThat(seqs(withSince)).containsExactlyElementsOf(range(29, 40));
        }
    }

    @Test
    void limitCapsTheAnswerAndTheServerCapAppliesAboveIt() throws Exception {
        try (TestClient c = server.connect("h3")) {
            publishAll(c, "hist.limit", 80);
            assertThat(seqs(history(c, "hist.limit", 0, List.of(), 10))).containsExactlyElementsOf(range(1, 10));
            assertThat(seqs(history(c, "hist.limit", 0, List.of(have(2, 4)), 5)))
                    .as("the limit counts returned messages, not skipped ones")
                    .containsExactly(1L, 5L, 6L, 7L, 8L);
            assertThat(seqs(history(c, "hist.limit", 0, List.of(), 1000)))
                    .as("server cap")
                    .containsExactlyElementsOf(range(1, HISTORY_LIMIT));
            assertThat(seqs(history(c, "hist.limit", 0, List.of(), 0)))
                    .as("no limit means the server cap")
                    .containsExactlyElementsOf(range(1, HISTORY_LIMIT));
            assertThat(seqs(history(c, "hist.limit", HISTORY_LIMIT, List.of(), 0)))
                    .as("asking again from the last seq got")
                    .containsExactlyElementsOf(range(HISTORY_LIMIT + 1, 80));
        }
    }

    @Test
    void messagesTrimmedByRetentionAreReportedTruncatedWithFirstSeq() throws Exception {
        try (TestClient c = server.connect("h4")) {
            publishAll(c, "hist.trim", RETENTION + 20); // seqs 21..120 are kept
            HistoryResult r = history(c, "hist.trim", 0, List.of(), 0);
            assertThat(r.getTruncated()).isTrue();
            assertThat(r.getFirstSeq()).isEqualTo(21);
            assertThat(r.getLastSeq()).isEqualTo(RETENTION + 20);
            assertThat(seqs(r)).containsExactlyElementsOf(range(21, 20 + HISTORY_LIMIT));

            HistoryResult edge = history(c, "hist.trim", 20, List.of(), 5);
            assertThat(edge.getTruncated()).as("seq 21 onwards is all there").isFalse();
            assertThat(seqs(edge)).containsExactly(21L, 22L, 23L, 24L, 25L);

            HistoryResult lostButHad = history(c, "hist.trim", 10, List.of(have(21, 110)), 0);
            assertThat(lostButHad.getTruncated()).isTrue();
            assertThat(seqs(lostButHad)).containsExactlyElementsOf(range(111, 120));
        }
    }

    @Test
    void badRangesAreBadRequest() throws Exception {
        try (TestClient c = server.connect("h5")) {
            publishAll(c, "hist.bad", 3);
            for (SeqRange bad : List.of(have(5, 4), have(0, 2), have(0, 0))) {
                ServerFrame f = c.request(historyFrame("hist.bad", 0, List.of(have(1, 1), bad), 0));
                assertThat(f.getError().getCode())
                        .as("range [%d, %d]", bad.getFrom(), bad.getTo())
                        .isEqualTo(ErrorCode.BAD_REQUEST);
                assertThat(f.getError().getFatal()).isFalse();
            }
            assertThat(history(c, "hist.bad", 0, List.of(), 0).getMessagesCount())
                    .as("the connection lives on")
                    .isEqualTo(3);
        }
    }

    @Test
    void historyWithoutTheHistoryCapIsForbidden() throws Exception {
        try (TestClient owner = server.connect("h6");
                TestClient c = TestClient.open(server.tcpAddress())) {
            publishAll(owner, "hist.secret", 3);
            c.connect(server.token(
                    "h6b",
                    Duration.ofHours(1),
                    List.of(new Capability(
                            List.of("hist.*"), Set.of(Operation.JOIN, Operation.SUBSCRIBE, Operation.PUBLISH)))));
            ServerFrame f = c.request(historyFrame("hist.secret", 0, List.of(), 0));
            assertThat(f.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(f.hasHistory()).isFalse();
            assertThat(c.subscribe("hist.secret").hasSubscribed())
                    .as("other caps still work")
                    .isTrue();
        }
    }

    private static String publishAll(TestClient c, String channel, int n) {
        String epoch = null;
        for (int i = 1; i <= n; i++) {
            ServerFrame ack = c.publish(channel, "m" + i);
            assertThat(ack.getPublished().getSeq()).as("%s", ack).isEqualTo(i);
            epoch = ack.getPublished().getEpoch();
        }
        return epoch;
    }

    static HistoryResult history(TestClient c, String channel, long sinceSeq, List<SeqRange> have, int limit) {
        ServerFrame f = c.request(historyFrame(channel, sinceSeq, have, limit));
        assertThat(f.hasHistory()).as("history answer %s", f).isTrue();
        return f.getHistory();
    }

    private static ClientFrame.Builder historyFrame(String channel, long sinceSeq, List<SeqRange> have, int limit) {
        return ClientFrame.newBuilder()
                .setHistory(History.newBuilder()
                        .setChannel(channel)
                        .setSinceSeq(sinceSeq)
                        .addAllHave(have)
                        .setLimit(limit));
    }

    static SeqRange have(long from, long to) {
        return SeqRange.newBuilder().setFrom(from).setTo(to).build();
    }

    private static List<Long> seqs(HistoryResult r) {
        return r.getMessagesList().stream().map(Message::getSeq).toList();
    }
}
