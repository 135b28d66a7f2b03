package io.livepush.codec;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * Parses each frame from {@link VarintFrameDecoder} into one protobuf message.
 *
 * <p>One per channel: {@link MessageToMessageDecoder} keeps per-channel read state, so it cannot be
 * {@code @Sharable}.
 */
public final class ProtobufFrameDecoder<T extends MessageLite> extends MessageToMessageDecoder<ByteBuf> {

    private final Parser<T> parser;

    public ProtobufFrameDecoder(Parser<T> parser) {
        super(ByteBuf.class);
        this.parser = requireNonNull(parser, "parser");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        try {
            // A view of the frame's memory, not a copy, as long as it is one component (true with
            // the default merging cumulator). bytes fields are still copied out: the frame is
            // released after this call.
            out.add(parser.parseFrom(frame.nioBuffer()));
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedFrameException("frame is not a valid protobuf message: " + e.getMessage(), e);
        }
    }
}
