package io.livepush.server.channel;

import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.SeqRange;
import io.livepush.server.store.ChannelMeta;
import io.livepush.server.store.MessageLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * History with a have-set (PROTOCOL.md semantics 4): the kept messages after {@code sinceSeq}, minus
 * those inside the client's {@code have} ranges, at most {@code limit} and at most
 * {@code maxBytes} of payload (the client asks again from the last seq it got).
 */
final class HistoryQuery {
    private final MessageLog log;
    private final int maxBytes;

    HistoryQuery(MessageLog log, int maxBytes) {
        this.log = log;
        this.maxBytes = maxBytes;
    }

    HistoryResult run(String channel, ChannelMeta meta, long sinceSeq, List<SeqRange> have, int limit) {
        HistoryResult.Builder result = HistoryResult.newBuilder()
                .setChannel(channel)
                .setEpoch(meta.epoch())
                .setFirstSeq(meta.firstSeq())
                .setLastSeq(meta.lastSeq())
                .setTruncated(sinceSeq < meta.firstSeq() - 1 && meta.lastSeq() > sinceSeq);
        List<SeqRange> holes = sorted(have);
        // Nothing after the last seq: and sinceSeq + 1 would wrap around for Long.MAX_VALUE.
        long cur = sinceSeq >= meta.lastSeq() ? meta.lastSeq() + 1 : Math.max(sinceSeq + 1, meta.firstSeq());
        int bytes = 0;
        int rangeIndex = 0;
        while (cur <= meta.lastSeq() && result.getMessagesCount() < limit && bytes < maxBytes) {
            while (rangeIndex < holes.size() && holes.get(rangeIndex).getTo() < cur) {
                rangeIndex++;
            }
            SeqRange next = rangeIndex < holes.size() ? holes.get(rangeIndex) : null;
            if (next != null && next.getFrom() <= cur) {
                cur = next.getTo() + 1; // the client has [from, to]
                continue;
            }
            long to = next == null ? meta.lastSeq() : Math.min(meta.lastSeq(), next.getFrom() - 1);
            for (Message m : log.read(meta, channel, cur, to, limit - result.getMessagesCount())) {
                if (bytes >= maxBytes) {
                    return result.build();
                }
                result.addMessages(m);
                bytes += m.getPayload().size();
            }
            cur = to + 1;
        }
        return result.build();
    }

    private static List<SeqRange> sorted(List<SeqRange> have) {
        List<SeqRange> list = new ArrayList<>(have);
        list.sort(Comparator.comparingLong(SeqRange::getFrom));
        return list;
    }
}
