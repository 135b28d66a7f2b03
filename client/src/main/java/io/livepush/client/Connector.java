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
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/**
 * The TCP transport: connections on the client's one loop, each with the protocol's pipeline, over
 * TLS when the client has a context:
 * <pre>
 *  [TLS] → delimited ServerFrame decoder (size cap) → frame encoder → client handler
 * </pre>
 */
final class Connector {
    private final Bootstrap bootstrap;
    private final ClientOptions options;
    private final SslContext tls;
    private final Supplier<ChannelHandler> handler;

    /**
     * @param tls     null for plain TCP
     * @param handler makes the client's handler, one per connection (it is not @Sharable)
     */
    Connector(EventLoop loop, ClientOptions options, SslContext tls, Supplier<ChannelHandler> handler) {
        this.options = options;
        this.tls = tls;
        this.handler = handler;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        options.connectTimeout().toMillis());
    }

    /** Resolves and connects; completes on the loop. */
    ChannelFuture connect(InetSocketAddress address) {
        return bootstrap
                .clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // For this host: its name goes in SNI and is what the certificate is verified against.
                            ch.pipeline()
                                    .addLast(tls.newHandler(ch.alloc(), address.getHostString(), address.getPort()));
                        }
                        // Bounded frames first, then parse; outbound frames get their varint length.
                        ch.pipeline()
                                .addLast(
                                        new DelimitedProtobufDecoder<>(options.maxFrameBytes(), ServerFrame.parser()),
                                        DelimitedFrameEncoder.INSTANCE,
                                        handler.get());
                    }
                })
                .connect(address);
    }
}
