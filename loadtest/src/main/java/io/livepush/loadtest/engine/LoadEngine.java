package io.livepush.loadtest.engine;

import static java.util.Objects.requireNonNull;

import io.livepush.codec.DelimitedFrameEncoder;
import io.livepush.codec.DelimitedProtobufDecoder;
import io.livepush.proto.v1.ServerFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One Netty event-loop group (epoll where available) that drives every virtual user of a run, against
 * one node or several ({@link Nodes}: a connection names its node by number, the first by default).
 * {@link #connect} opens a connection that speaks our TCP protocol (varint32-delimited
 * {@code ClientFrame}s out, {@code ServerFrame}s in); {@link #open} one whose pipeline a target builds.
 * With a TLS context, every connection starts with TLS, under whatever the target builds.
 */
public final class LoadEngine implements AutoCloseable {
    /** Generous: the harness trusts its loopback server, but still never buffers without bound. */
    public static final int MAX_FRAME_BYTES = 1 << 20;

    /**
     * Source addresses of connections to an IPv4 loopback node, taken in turn on Linux (which routes all of
     * 127.0.0.0/8 to the loopback) by an engine with many sources: each has its own ~28,000 ephemeral ports. From
     * one address, a storm's connects searched a port range full of the last storms' TIME_WAIT sockets (10,000 per
     * storm, each held 60 s): a fifth of the harness's CPU. Clients of a real server come from many addresses.
     */
    private static final int LOOPBACK_SOURCES = 16;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final boolean manySources;
    private final AtomicInteger nextSource = new AtomicInteger();
    private final String transport;
    private final Nodes nodes;
    private final SslContext tls;

    public LoadEngine(InetSocketAddress target, int threads) {
        this(target, threads, null);
    }

    /** @param tls the client context of TLS connections, or null for plain ones */
    public LoadEngine(InetSocketAddress target, int threads, SslContext tls) {
        this(Nodes.of(requireNonNull(target, "target")), threads, tls);
    }

    /**
     * @param nodes where connections go: node {@code i mod nodes.size()} for {@code connect(i, …)}
     * @param tls   the client context of TLS connections, or null for plain ones
     */
    public LoadEngine(Nodes nodes, int threads, SslContext tls) {
        this(nodes, threads, tls, false);
    }

    /**
     * @param nodes          where connections go: node {@code i mod nodes.size()} for {@code connect(i, …)}
     * @param tls            the client context of TLS connections, or null for plain ones
     * @param manySources    whether connections to an IPv4 loopback node come from {@link #LOOPBACK_SOURCES}
     *                       addresses in turn, for runs that connect again and again on our protocol; not for peers:
     *                       Redis's protected mode takes only 127.0.0.1 for the loopback
     */
    public LoadEngine(Nodes nodes, int threads, SslContext tls, boolean manySources) {
        this.nodes = requireNonNull(nodes, "nodes");
        this.tls = tls;
        boolean epoll = Epoll.isAvailable();
        this.manySources = manySources && epoll;
        // In the reports: a run over TLS costs more, and must say so.
        this.transport = (epoll ? "epoll" : "nio") + (tls != null ? "+tls" : "");
        this.group = new MultiThreadIoEventLoopGroup(
                threads,
                new DefaultThreadFactory("loadtest-io", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channelFactory(epoll ? EpollSocketChannel::new : NioSocketChannel::new) // not reflection: per connect
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    }

    /** Opens one connection to the first node whose last handler is a fresh {@code handler.get()}. */
    public ChannelFuture connect(Supplier<? extends ChannelHandler> handler) {
        return connect(0, handler);
    }

    /** Opens one connection to node {@code node mod nodes().size()} whose last handler is a fresh {@code handler.get()}. */
    public ChannelFuture connect(int node, Supplier<? extends ChannelHandler> handler) {
        return open(
                node,
                p -> p.addLast(new DelimitedProtobufDecoder<>(MAX_FRAME_BYTES, ServerFrame.parser()))
                        .addLast(DelimitedFrameEncoder.INSTANCE)
                        .addLast(handler.get()));
    }

    /** Opens one connection to the first node whose pipeline {@code init} builds, on the event loop. */
    public ChannelFuture open(Consumer<ChannelPipeline> init) {
        return open(0, init);
    }

    /** Opens one connection to node {@code node mod nodes().size()} whose pipeline {@code init} builds, on the event loop. */
    public ChannelFuture open(int node, Consumer<ChannelPipeline> init) {
        InetSocketAddress target = nodes.get(node);
        return withSource(bootstrap.clone(), target)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            // --host's name, not the resolved address: it is what the certificate is checked against.
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), target.getHostString(), target.getPort()));
                        }
                        init.accept(ch.pipeline());
                    }
                })
                .connect(target);
    }

    /** With many sources, a connection to an IPv4 loopback node binds the next of {@link #LOOPBACK_SOURCES} addresses. */
    private Bootstrap withSource(Bootstrap b, InetSocketAddress target) {
        if (!manySources
                || !(target.getAddress() instanceof Inet4Address)
                || !target.getAddress().isLoopbackAddress()) {
            return b;
        }
        int i = Math.floorMod(nextSource.getAndIncrement(), LOOPBACK_SOURCES);
        byte[] source = {127, 0, 0, (byte) (1 + i)};
        try {
            // The port is picked at connect, for this target: not at bind, among all ports of the address.
            return b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true)
                    .localAddress(new InetSocketAddress(InetAddress.getByAddress(source), 0));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of four bytes", e);
        }
    }

    /** Where connections go. */
    public Nodes nodes() {
        return nodes;
    }

    public EventLoopGroup group() {
        return group;
    }

    /** Whether connections start with TLS. */
    public boolean tls() {
        return tls != null;
    }

    public String transport() {
        return transport;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
