package io.livepush.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.Message;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreCodecsTest {

    @Test
    void channelMetaRoundTrips() {
        ChannelMeta meta = new ChannelMeta(42, "0123456789ab", 7, 1L << 40, 1_764_000_000_000L);
        byte[] bytes = ChannelMetaCodec.encode(meta);
        assertThat(bytes).hasSize(ChannelMetaCodec.TYPICAL_BYTES);
        assertThat(ChannelMetaCodec.decode(bytes)).isEqualTo(meta);
        assertThatThrownBy(() -> ChannelMetaCodec.decode(new byte[3])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void channelMetaOfTheFirstFormatReadsAsPublishedAtTimeZero() {
        byte[] v1 = java.nio.ByteBuffer.allocate(1 + 3 * Long.BYTES + 12)
                .put((byte) 1) // format 1
                .putLong(42) // channel id
                .putLong(7) // first seq
                .putLong(9) // last seq
                .put("0123456789ab".getBytes(java.nio.charset.StandardCharsets.UTF_8)) // epoch
                .array();
        assertThat(ChannelMetaCodec.decode(v1)).isEqualTo(new ChannelMeta(42, "0123456789ab", 7, 9, 0));
    }

    @Test
    void storedMessagesDropChannelAndEpochAndGetThemBackOnRead() throws Exception {
        Message full = Message.newBuilder()
                .setChannel("c")
                .setEpoch("e")
                .setSeq(3)
                .setKind("k")
                .setPayload(ByteString.copyFromUtf8("p"))
                .setPublisher("u")
                .setTimestampMs(9)
                .build();
        byte[] bytes = StoredMessageCodec.encode(full);
        assertThat(Message.parseFrom(bytes).getChannel()).isEmpty();
        assertThat(Message.parseFrom(bytes).getEpoch()).isEmpty();
        assertThat(StoredMessageCodec.decode(bytes, "c", "e")).isEqualTo(full);
    }

    @Test
    void anIdempotencyKeyIsStoredWithTheMessageAndNeverReadBackIntoIt() throws Exception {
        Message full = Message.newBuilder()
                .setChannel("c")
                .setEpoch("e")
                .setSeq(3)
                .setKind("k")
                .setPayload(ByteString.copyFromUtf8("p"))
                .setTimestampMs(9)
                .build();
        byte[] bytes = StoredMessageCodec.encode(full, "order-17");

        StoredMessageCodec.Keyed read = StoredMessageCodec.decodeKeyed(bytes, "c", "e");
        assertThat(read.idempotencyKey()).isEqualTo("order-17");
        assertThat(read.message()).isEqualTo(full);
        assertThat(read.message().getUnknownFields().asMap())
                .as("nothing a client could be sent")
                .isEmpty();
        assertThat(read.message().toByteArray()).isEqualTo(full.toByteArray());
        assertThat(StoredMessageCodec.decode(bytes, "c", "e")).isEqualTo(full);
        assertThat(Message.parseFrom(bytes).getPayload().toStringUtf8())
                .as("still a Message to protobuf")
                .isEqualTo("p");
        assertThat(StoredMessageCodec.decodeKeyed(StoredMessageCodec.encode(full), "c", "e")
                        .idempotencyKey())
                .isEmpty();
    }

    @Test
    void messageKeysSeparateChannelsAndWrapSeqsInLow32Bits() {
        assertThat(MessageKey.of(1, 5)).isEqualTo((1L << 32) | 5);
        assertThat(MessageKey.of(1, 5)).isNotEqualTo(MessageKey.of(2, 5));
        assertThat(MessageKey.of(1, (1L << 32) + 5)).isEqualTo(MessageKey.of(1, 5));
    }

    @Test
    void configValidatesAndHasDefaults() {
        StoreConfig defaults = StoreConfig.defaults(Path.of("data"));
        assertThat(defaults.maxMessages()).isEqualTo(1_000_000);
        assertThat(defaults.averageMessageBytes()).isEqualTo(256);
        assertThat(defaults.maxChannels()).isEqualTo(1_000_000);
        assertThat(defaults.retentionMaxMessages()).isEqualTo(10_000);
        assertThat(defaults.retentionMaxAge()).isEqualTo(Duration.ofHours(24));
        assertThatThrownBy(() -> new StoreConfig(Path.of("d"), 1, 1, 1, 0, Duration.ofHours(1), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retentionMaxMessages");
        assertThatThrownBy(() -> new StoreConfig(Path.of("d"), 1, 1, 1, 1, Duration.ZERO, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retentionMaxAge");
        assertThatThrownBy(() -> new StoreConfig(null, 1, 1, 1, 1, Duration.ofHours(1), Clock.systemUTC()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dataDir");
    }
}
