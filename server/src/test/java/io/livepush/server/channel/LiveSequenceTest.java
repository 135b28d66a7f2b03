package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import org.junit.jupiter.api.Test;

class LiveSequenceTest {
    private static Message message(long seq, String text) {
        return Message.newBuilder()
                .setChannel("c")
                .setEpoch("e1")
                .setSeq(seq)
                .setPayload(ByteString.copyFromUtf8(text))
                .build();
    }

    @Test
    void aRepeatOfADeliveredMessageIsNoContradictionButAnotherUnderItsSeqIs() {
        LiveSequence seq = new LiveSequence();
        for (long s = 1; s <= 20; s++) {
            seq.delivered(message(s, "m" + s));
        }
        assertThat(seq.lastSeq).isEqualTo(20);
        assertThat(seq.contradicts(message(20, "m20"))).isFalse();
        assertThat(seq.contradicts(message(5, "m5"))).isFalse();
        assertThat(seq.contradicts(message(18, "other"))).isTrue();
        assertThat(seq.contradicts(message(4, "other")))
                .as("too old to be remembered")
                .isFalse();
    }

    @Test
    void aRestartForgetsWhatWasDelivered() {
        LiveSequence seq = new LiveSequence();
        seq.delivered(message(1, "old"));
        seq.restart("e2");
        assertThat(seq.epoch).isEqualTo("e2");
        assertThat(seq.lastSeq).isZero();
        assertThat(seq.contradicts(message(1, "new"))).isFalse();
    }
}
