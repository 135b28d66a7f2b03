package io.livepush.server.it;

import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import java.util.List;
import java.util.stream.LongStream;

/** Positions and seq lists, as the resume and history tests compare them. */
final class Seqs {
    private Seqs() {}

    static Position position(String epoch, long seq) {
        return Position.newBuilder().setEpoch(epoch).setSeq(seq).build();
    }

    static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::getSeq).toList();
    }

    /** {@code from} to {@code to}, both included. */
    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
