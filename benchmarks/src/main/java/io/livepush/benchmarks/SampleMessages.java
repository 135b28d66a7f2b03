package io.livepush.benchmarks;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import java.util.SplittableRandom;

/** The one factory of benchmark messages: a chat-sized message with a 100-byte payload. */
final class SampleMessages {
    static final String KIND = "chat";
    static final String PUBLISHER = "user-4711";
    static final String EPOCH = "4cf0dd2ea894";
    static final int PAYLOAD_BYTES = 100;
    /** Random bytes, so nothing downstream gets to compress or special-case them. */
    static final ByteString PAYLOAD = randomBytes(PAYLOAD_BYTES);

    static final long TIMESTAMP_MS = 1_763_700_000_000L;

    private SampleMessages() {}

    /** A message to append: what a publish brings (the store assigns channel, epoch and seq). */
    static Message draft() {
        return Message.newBuilder()
                .setKind(KIND)
                .setPayload(PAYLOAD)
                .setPublisher(PUBLISHER)
                .setTimestampMs(TIMESTAMP_MS)
                .build();
    }

    /** A message as the store hands it to fan-out: channel, epoch and seq set. */
    static Message message(String channel, long seq) {
        return Message.newBuilder()
                .setChannel(channel)
                .setEpoch(EPOCH)
                .setSeq(seq)
                .setKind(KIND)
                .setPayload(PAYLOAD)
                .setPublisher(PUBLISHER)
                .setTimestampMs(TIMESTAMP_MS)
                .build();
    }

    private static ByteString randomBytes(int size) {
        byte[] bytes = new byte[size];
        new SplittableRandom(42).nextBytes(bytes);
        return ByteString.copyFrom(bytes);
    }
}
