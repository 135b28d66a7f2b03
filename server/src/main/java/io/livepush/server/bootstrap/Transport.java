package io.livepush.server.bootstrap;

import io.livepush.server.config.ServerConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;

/**
 * The event loops' I/O, as {@code --transport} chooses: by default native epoll where the platform has it (fewer
 * copies, less garbage than NIO), NIO everywhere else; io_uring on request (it submits a loop turn's sends in one
 * system call).
 */
enum Transport {
    EPOLL(EpollServerSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }
    },
    IO_URING(IoUringServerSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            // Completions of a busy loop's sends and reads come in bursts: room for them without overflowing.
            return IoUringIoHandler.newFactory(
                    new IoUringIoHandlerConfig().setRingSize(4096).setCqSize(32768));
        }
    },
    NIO(NioServerSocketChannel.class) {
        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }
    };

    private final Class<? extends ServerChannel> serverChannel;

    Transport(Class<? extends ServerChannel> serverChannel) {
        this.serverChannel = serverChannel;
    }

    /** @throws StartupException when the platform lacks the transport asked for, with the reason */
    static Transport of(ServerConfig.IoTransport choice) {
        return switch (choice) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL -> available(EPOLL, Epoll.unavailabilityCause());
            case IO_URING -> available(IO_URING, IoUring.unavailabilityCause());
            case NIO -> NIO;
        };
    }

    private static Transport available(Transport transport, Throwable unavailable) {
        if (unavailable != null) {
            throw new StartupException("--transport " + transport.name().toLowerCase(Locale.ROOT)
                    + ": not available here (" + unavailable.getMessage() + ")");
        }
        return transport;
    }

    abstract IoHandlerFactory ioHandlerFactory();

    Class<? extends ServerChannel> serverChannel() {
        return serverChannel;
    }

    EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), ioHandlerFactory());
    }
}
