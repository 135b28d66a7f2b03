package io.livepush.server.channel;

import io.livepush.proto.v1.HistoryResult;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.SeqRange;
import io.livepush.server.metrics.PushMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * History with a have-set (PROTOCOL.md semantics 4) from a {@link SharedLog}: the kept messages after
 * {@code sinceSeq}, minus those inside the client's {@code have} ranges, at most {@code limit} and at
 * most {@code maxBytes} of payload. One read of the log per stretch between have ranges.
 */
final class SharedHistory {
    private static final LogHead NOTHING = new LogHead("", 1, 0);

    private final SharedLog log;
    private final PushMetrics metrics;
    private final int maxBytes;

    SharedHistory(SharedLog log, PushMetrics metrics, int maxBytes) {
        this.log = log;
        this.metrics = metrics;
        this.maxBytes = maxBytes;
    }

    CompletionStage<HistoryResult> run(String channel, long sinceSeq, List<SeqRange> have, int limit) {
        List<SeqRange> holes = new ArrayList<>(have);
        holes.sort(Comparator.comparingLong(SeqRange::getFrom));
        // A read creates nothing in the log: a channel it has nothing of answers empty, with no epoch yet.
        return log.find(channel).thenCompose(found -> {
            LogHead head = found.orElse(NOTHING);
            HistoryResult.Builder result = HistoryResult.newBuilder()
                    .setChannel(channel)
                    .setEpoch(head.epoch())
                    .setFirstSeq(head.firstSeq())
                    .setLastSeq(head.lastSeq())
                    .setTruncated(sinceSeq < head.firstSeq() - 1 && head.lastSeq() > sinceSeq);
            // Unsigned on the wire: a since_seq above Long.MAX_VALUE is after every seq.
            long after = sinceSeq < 0 ? head.lastSeq() : Math.max(sinceSeq, head.firstSeq() - 1);
            return readFrom(new Query(channel, head, holes, limit, result), after);
        });
    }

    private record Query(String channel, LogHead head, List<SeqRange> holes, int limit, HistoryResult.Builder result) {}

    private CompletionStage<HistoryResult> readFrom(Query q, long after) {
        long cursor = after;
        for (SeqRange hole : q.holes()) {
            if (hole.getFrom() <= cursor + 1 && hole.getTo() > cursor) {
                cursor = hole.getTo(); // the client has [from, to]
            }
        }
        int wanted = q.limit() - q.result().getMessagesCount();
        if (cursor >= q.head().lastSeq() || wanted <= 0 || payloadBytes(q.result()) >= maxBytes) {
            return CompletableFuture.completedFuture(q.result().build());
        }
        long stretchEnd = q.head().lastSeq();
        for (SeqRange hole : q.holes()) {
            if (hole.getFrom() > cursor) {
                stretchEnd = Math.min(stretchEnd, hole.getFrom() - 1);
                break;
            }
        }
        int count = (int) Math.min(wanted, stretchEnd - cursor);
        long to = stretchEnd;
        metrics.logRead();
        return log.read(q.channel(), cursor, count).thenCompose(messages -> {
            int bytes = payloadBytes(q.result());
            for (Message m : messages) {
                if (m.getSeq() > to || !m.getEpoch().equals(q.head().epoch()) || bytes >= maxBytes) {
                    return CompletableFuture.completedFuture(q.result().build());
                }
                q.result().addMessages(m);
                bytes += m.getPayload().size();
            }
            // Nothing came: the rest of the stretch is gone (trimmed since the head was read).
            return messages.isEmpty()
                    ? CompletableFuture.completedFuture(q.result().build())
                    : readFrom(q, messages.get(messages.size() - 1).getSeq());
        });
    }

    private static int payloadBytes(HistoryResult.Builder result) {
        int bytes = 0;
        for (Message m : result.getMessagesList()) {
            bytes += m.getPayload().size();
        }
        return bytes;
    }
}
