package io.livepush.loadtest.wire;

import static io.livepush.loadtest.wire.WireBytes.concat;
import static io.livepush.loadtest.wire.WireBytes.resp;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.wire.Splits.Delivery;
import io.netty.handler.codec.CorruptedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespMessagesTest {

    @Test
    void everySplitOfTwoPushesGivesTheSeqsAndSendTimesOfTheirPayloads() {
        byte[] bytes = concat(resp(1, 10, 100), resp(2, 20, 16));

        Splits.assertEverySplitDelivers(
                RawFraming.REDIS.parser(), bytes, List.of(new Delivery(1, 10), new Delivery(2, 20)));
    }

    @Test
    void anyOtherReplyFails() {
        byte[] error = "-ERR unknown command 'FOO'\r\n".getBytes(StandardCharsets.US_ASCII);

        assertThat(Splits.deliverFailure(RawFraming.REDIS.parser(), error, resp(1, 1, 16)))
                .isInstanceOf(CorruptedFrameException.class);
    }
}
