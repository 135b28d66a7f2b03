package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelTrackerTest {

    private final List<Long> delivered = new ArrayList<>();
    private final List<String> resets = new ArrayList<>();
    private final List<long[]> fetches = new ArrayList<>();
    private long fetchGen;

    private final ChannelTracker.Sink sink = new ChannelTracker.Sink() {
        @Override
        public void deliver(String channel, Message message) {
            delivered.add(message.getSeq());
        }

        @Override
        public void reset(String channel, String epoch) {
            resets.add(epoch);
        }

        @Override
        public void fetch(ChannelTracker tracker, long generation, long sinceSeq, int limit) {
            fetchGen = generation;
            fetches.add(new long[] {sinceSeq, limit});
        }
    };

    private static Message msg(long seq) {
        return Message.newBuilder().setChannel("c").setEpoch("e1").setSeq(seq).build();
    }

    private static HistoryResult history(long... seqs) {
        HistoryResult.Builder b = HistoryResult.newBuilder().setChannel("c").setEpoch("e1");
        for (long s : seqs) {
            b.addMessages(msg(s));
        }
        return b.build();
    }

    @Test
    void deliversInOrderAndDropsDuplicates() {
        ChannelTracker t = new ChannelTracker("c", 100);
        t.onAnswer("e1", 0, false, sink);
        t.onLive(msg(1), sink);
        t.onLive(msg(2), sink);
        t.onLive(msg(2), sink);
        t.onLive(msg(1), sink);
        t.onLive(msg(3), sink);
        assertThat(delivered).containsExactly(1L, 2L, 3L);
        assertThat(fetches).isEmpty();
        assertThat(resets).isEmpty();
        assertThat(t.position().getSeq()).isEqualTo(3);
    }

    @Test
    void fillsAHoleWithHistoryBeforeTheHeldMessages() {
        ChannelTracker t = new ChannelTracker("c", 100);
        t.onAnswer("e1", 2, false, sink);
        t.onLive(msg(3), sink);
        t.onLive(msg(6), sink); // hole: 4, 5
        t.onLive(msg(7), sink);
        assertThat(delivered).containsExactly(3L);
        assertThat(fetches).hasSize(1);
        assertThat(fetches.get(0)).containsExactly(3, 2);
        t.onHistory(fetchGen, history(4, 5, 6), sink);
        t.onLive(msg(8), sink);
        assertThat(delivered).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(resets).isEmpty();
    }

    @Test
    void partialHistoryFetchesAgain() {
        ChannelTracker t = new ChannelTracker("c", 100);
        t.onAnswer("e1", 0, false, sink);
        t.onLive(msg(5), sink);
        t.onHistory(fetchGen, history(1, 2), sink);
        assertThat(fetches).hasSize(2);
        assertThat(fetches.get(1)[0]).isEqualTo(2);
        t.onHistory(fetchGen, history(3, 4, 5), sink);
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void lostHistoryIsAReset() {
        ChannelTracker t = new ChannelTracker("c", 100);
        t.onAnswer("e1", 0, false, sink);
        t.onLive(msg(10), sink);
        t.onHistory(fetchGen, history(8, 9, 10), sink); // 1..7 are gone
        assertThat(resets).containsExactly("e1");
        assertThat(delivered).containsExactly(8L, 9L, 10L);
    }

    @Test
    void staleHistoryAfterADisconnectIsIgnored() {
        ChannelTracker t = new ChannelTracker("c", 100);
        t.onAnswer("e1", 0, false, sink);
        t.onLive(msg(3), sink);
        long gen = fetchGen;
        t.disconnected();
        t.onHistory(gen, history(1, 2, 3), sink);
        assertThat(delivered).isEmpty();
        assertThat(t.position().getSeq()).isZero();
    }

    @Test
    void resumeRecoveredKeepsThePositionAndNotRecoveredResets() {
        ChannelTracker t = new ChannelTracker("c", 100);
        t.onAnswer("e1", 0, false, sink);
        t.onLive(msg(1), sink);
        t.onAnswer("e1", 5, true, sink); // replay of 2..5 follows
        for (long s = 1; s <= 5; s++) {
            t.onLive(msg(s), sink);
        }
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L);
        t.onAnswer("e2", 40, false, sink);
        assertThat(resets).containsExactly("e2");
        assertThat(t.position().getEpoch()).isEqualTo("e2");
        assertThat(t.position().getSeq()).isEqualTo(40);
    }

    @Test
    void dropsAfterTheHoleAreFetchedWhenHistorySaysThereIsMore() {
        ChannelTracker t = new ChannelTracker("c", 100);
        t.onAnswer("e1", 0, false, sink);
        t.onLive(msg(3), sink);
        t.onHistory(fetchGen, history(1, 2).toBuilder().setLastSeq(6).build(), sink);
        assertThat(delivered).containsExactly(1L, 2L, 3L);
        assertThat(fetches).hasSize(2);
        assertThat(fetches.get(1)).containsExactly(3, 3);
        t.onHistory(fetchGen, history(4, 5, 6).toBuilder().setLastSeq(6).build(), sink);
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(fetches).hasSize(2);
    }

    @Test
    void heldMessagesAreBounded() {
        ChannelTracker t = new ChannelTracker("c", 3);
        t.onAnswer("e1", 0, false, sink);
        for (long s = 2; s <= 10; s++) {
            t.onLive(msg(s), sink);
        }
        t.onHistory(fetchGen, history(1), sink);
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L);
        assertThat(fetches).hasSize(2); // 5.. were dropped from the buffer: fetched again
        t.onHistory(fetchGen, history(5, 6, 7, 8, 9, 10), sink);
        assertThat(delivered).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }
}
