package io.livepush.server.codec;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import io.livepush.codec.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.List;

/**
 * Subprotocol {@code push.v1.json}: writes each outbound protobuf message as one text WebSocket
 * message in the canonical protobuf JSON mapping, without insignificant whitespace; fields at their
 * default value are left out (a reader treats a missing field as 0, "" or false). A pre-encoded
 * buffer from {@link Frames#encodeDelimited} (fan-out) is parsed back with {@code parser} and printed:
 * the binary form is the one encoded once for every member. Other messages pass through untouched.
 */
@Sharable
public final class WebSocketJsonEncoder extends MessageToMessageEncoder<Object> {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final Parser<? extends MessageOrBuilder> parser;

    /** @param parser reads the pre-encoded buffers written to the channel ({@code ServerFrame.parser()}) */
    public WebSocketJsonEncoder(Parser<? extends MessageOrBuilder> parser) {
        super(Object.class);
        this.parser = requireNonNull(parser, "parser");
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof MessageOrBuilder || msg instanceof ByteBuf;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
        MessageOrBuilder message;
        if (msg instanceof ByteBuf preEncoded) {
            ByteBuf body = Frames.retainedBody(preEncoded);
            try {
                message = parser.parseFrom(body.nioBuffer());
            } catch (InvalidProtocolBufferException e) {
                throw new EncoderException("pre-encoded buffer is not a valid message", e);
            } finally {
                body.release();
            }
        } else {
            message = (MessageOrBuilder) msg;
        }
        out.add(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ctx.alloc(), PRINTER.print(message))));
    }
}
