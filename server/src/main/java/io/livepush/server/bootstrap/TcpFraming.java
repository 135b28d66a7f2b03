package io.livepush.server.bootstrap;

import static io.livepush.server.bootstrap.ChannelHandlerNames.FRAME_DECODER;
import static io.livepush.server.bootstrap.ChannelHandlerNames.OUTBOX;

import io.livepush.codec.DelimitedProtobufDecoder;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.server.channel.Outbox;
import io.netty.channel.ChannelPipeline;

/**
 * TCP: varint32-delimited protobuf frames.
 * <pre>
 *  delimited ClientFrame decoder (size cap) → outbox (encodes ServerFrames, batches fan-out)
 * </pre>
 */
final class TcpFraming implements PushChannelInitializer.Framing {
    private final int maxFrameBytes;

    TcpFraming(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void addFraming(ChannelPipeline p, PushChannelInitializer session) {
        p.addLast(FRAME_DECODER, new DelimitedProtobufDecoder<>(maxFrameBytes, ClientFrame.parser()));
        p.addLast(OUTBOX, new Outbox(Outbox.Framing.DELIMITED));
        session.addSessionHandlers(p);
    }
}
