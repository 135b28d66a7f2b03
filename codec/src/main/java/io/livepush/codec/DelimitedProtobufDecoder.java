package io.livepush.codec;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.netty.buffer.ByteBuf;

/**
 * {@link VarintFrameDecoder} and protobuf parsing in one handler: each body is parsed where it lies
 * in the cumulation, with no slice per frame and one pipeline stage less per connection.
 */
public final class DelimitedProtobufDecoder<T extends MessageLite> extends VarintFrameDecoder {
    private final Parser<T> parser;

    public DelimitedProtobufDecoder(int maxFrameBytes, Parser<T> parser) {
        super(maxFrameBytes);
        this.parser = requireNonNull(parser, "parser");
    }

    @Override
    protected Object frame(ByteBuf in, int length) {
        try {
            // A view of the body's memory, not a copy (bytes fields are still copied out).
            T message = parser.parseFrom(in.nioBuffer(in.readerIndex(), length));
            in.skipBytes(length);
            return message;
        } catch (InvalidProtocolBufferException e) {
            in.skipBytes(length);
            throw new MalformedFrameException("frame is not a valid protobuf message: " + e.getMessage(), e);
        }
    }
}
