package io.livepush.server.testing;

import static java.util.Objects.requireNonNull;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.util.concurrent.TimeUnit;

/**
 * Serves a server's pipeline over Netty's in-VM transport: real event loops and real thread hops, but no
 * sockets, so a fuzzer can open a connection per input by the million (loopback TCP would run out of
 * ephemeral ports in TIME_WAIT). One loop for the server side, one for the clients.
 */
public final class LocalServer implements AutoCloseable {
    private final EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
    private final Channel serverChannel;

    public LocalServer(ChannelHandler childHandler) throws InterruptedException {
        requireNonNull(childHandler, "childHandler");
        serverChannel = new ServerBootstrap()
                .group(serverGroup)
                .channel(LocalServerChannel.class)
                .childHandler(childHandler)
                .bind(new LocalAddress(LocalServer.class))
                .sync()
                .channel();
    }

    /** A new connection whose pipeline {@code handler} sets up (a {@code ChannelInitializer}, say). */
    public Channel connect(ChannelHandler handler) throws InterruptedException {
        return new Bootstrap()
                .group(clientGroup)
                .channel(LocalChannel.class)
                .handler(requireNonNull(handler, "handler"))
                .connect(serverChannel.localAddress())
                .sync()
                .channel();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
