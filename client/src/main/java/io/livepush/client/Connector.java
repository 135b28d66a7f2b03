package io.livepush.client;

import io.livepush.codec.DelimitedFrameEncoder;
import io.livepush.codec.DelimitedProtobufDecoder;
import io.livepush.proto.v1.ServerFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/** The TCP transport: connections on the client's one loop, each with the protocol's pipeline. */
final class Connector {
    private final Bootstrap bootstrap;

    /** {@code handler} makes the client's handler, one per connection (it is not @Sharable). */
    Connector(EventLoop loop, ClientOptions options, Supplier<ChannelHandler> handler) {
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Bounded frames first, then parse; outbound frames get their varint length.
                        ch.pipeline().addLast(
                                new DelimitedProtobufDecoder<>(options.maxFrameBytes(), ServerFrame.parser()),
                                DelimitedFrameEncoder.INSTANCE,
                                handler.get());
                    }
                });
    }

    /** Resolves and connects; completes on the loop. */
    ChannelFuture connect(InetSocketAddress address) {
        return bootstrap.connect(address);
    }
}
