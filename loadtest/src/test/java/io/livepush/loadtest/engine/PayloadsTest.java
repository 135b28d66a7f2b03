package io.livepush.loadtest.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

class PayloadsTest {

    @Test
    void timestampRoundTripsAndPayloadIsPadded() {
        long t = 0x0102030405060708L;
        var payload = Payloads.timed(t, 100);
        assertThat(payload.size()).isEqualTo(100);
        assertThat(Payloads.sentNanos(payload)).isEqualTo(t);
        assertThat(Payloads.sentNanos(Payloads.timed(-5, 8))).isEqualTo(-5);
    }

    @Test
    void tooSmallPayloadIsRejected() {
        assertThatThrownBy(() -> Payloads.timed(1, 7)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequencedPayloadCarriesTimeAndSeqTheSameAsBytesOrBuffer() {
        var bytes = Payloads.sequenced(0x0102030405060708L, 42, 100);
        ByteBuf buf = Payloads.sequenced(UnpooledByteBufAllocator.DEFAULT, 0x0102030405060708L, 42, 100);
        try {
            assertThat(ByteBufUtil.getBytes(buf)).isEqualTo(bytes.toByteArray());
            assertThat(Payloads.sentNanos(bytes)).isEqualTo(0x0102030405060708L);
            assertThat(Payloads.sentNanos(buf, buf.readerIndex(), 100)).isEqualTo(0x0102030405060708L);
            assertThat(Payloads.seq(buf, buf.readerIndex(), 100)).isEqualTo(42);
            assertThatThrownBy(() -> Payloads.seq(buf, buf.readerIndex(), 15))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            buf.release();
        }
        assertThatThrownBy(() -> Payloads.sequenced(1, 1, 15)).isInstanceOf(IllegalArgumentException.class);
    }
}
