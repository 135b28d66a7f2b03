package io.livepush.client;

import static java.util.Objects.requireNonNull;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** Builds a {@link PushClient}: address and token supplier are required. */
public final class PushClientBuilder {
    Supplier<InetSocketAddress> address;
    Supplier<String> tokens;
    ClientOptions options = ClientOptions.defaults();
    PushListener listener = new PushListener() {};
    /** Null: plain TCP. */
    SslContext tls;
    /** Null: the client makes and owns a group of one NIO thread. */
    EventLoopGroup group;
    /** Null: callbacks on the client's I/O thread. */
    Executor callbackExecutor;

    PushClientBuilder() {}

    public PushClientBuilder address(String host, int port) {
        InetSocketAddress a = InetSocketAddress.createUnresolved(host, port);
        this.address = () -> a;
        return this;
    }

    /** Asked on every (re)connect: lets a client follow a server that moved. */
    public PushClientBuilder address(Supplier<InetSocketAddress> address) {
        this.address = requireNonNull(address, "address");
        return this;
    }

    /** Called (off the I/O thread) on every (re)connect and before the token expires, then sent as {@code Refresh}. */
    public PushClientBuilder tokenSupplier(Supplier<String> tokens) {
        this.tokens = requireNonNull(tokens, "tokens");
        return this;
    }

    public PushClientBuilder listener(PushListener listener) {
        this.listener = requireNonNull(listener, "listener");
        return this;
    }

    public PushClientBuilder connectTimeout(Duration d) {
        options = new ClientOptions(
                positive(d),
                options.requestTimeout(),
                options.reconnectMin(),
                options.reconnectMax(),
                options.clientName(),
                options.maxFrameBytes(),
                options.maxHeldPerChannel());
        return this;
    }

    public PushClientBuilder requestTimeout(Duration d) {
        options = new ClientOptions(
                options.connectTimeout(),
                positive(d),
                options.reconnectMin(),
                options.reconnectMax(),
                options.clientName(),
                options.maxFrameBytes(),
                options.maxHeldPerChannel());
        return this;
    }

    /** Exponential backoff between reconnect attempts, with jitter, from {@code min} up to {@code max}. */
    public PushClientBuilder reconnectBackoff(Duration min, Duration max) {
        if (positive(max).compareTo(positive(min)) < 0) {
            throw new IllegalArgumentException("reconnect max " + max + " < min " + min);
        }
        options = new ClientOptions(
                options.connectTimeout(),
                options.requestTimeout(),
                min,
                max,
                options.clientName(),
                options.maxFrameBytes(),
                options.maxHeldPerChannel());
        return this;
    }

    public PushClientBuilder clientName(String name) {
        options = new ClientOptions(
                options.connectTimeout(),
                options.requestTimeout(),
                options.reconnectMin(),
                options.reconnectMax(),
                requireNonNull(name, "name"),
                options.maxFrameBytes(),
                options.maxHeldPerChannel());
        return this;
    }

    /** The largest frame accepted from the server (default 32 MiB: a page of history can be big). */
    public PushClientBuilder maxFrameBytes(int bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes: " + bytes);
        }
        options = new ClientOptions(
                options.connectTimeout(),
                options.requestTimeout(),
                options.reconnectMin(),
                options.reconnectMax(),
                options.clientName(),
                bytes,
                options.maxHeldPerChannel());
        return this;
    }

    /**
     * Connects with TLS (the server's {@code --tls-cert}), trusting the JDK's default certificate
     * authorities. The certificate must name the host given to {@link #address}: host names are verified.
     */
    public PushClientBuilder tls() {
        this.tls = ClientTls.defaultTrust();
        return this;
    }

    /**
     * Connects with TLS, trusting only the certificates in {@code trustedCertificates} (PEM): a private
     * CA's, or the server's own self-signed certificate. Host names are verified.
     *
     * @throws IllegalArgumentException when the file is missing or holds no certificate
     */
    public PushClientBuilder tls(Path trustedCertificates) {
        if (!Files.isReadable(requireNonNull(trustedCertificates, "trustedCertificates"))) {
            throw new IllegalArgumentException(
                    "trustedCertificates: " + trustedCertificates + " (expected: a readable PEM file)");
        }
        this.tls = ClientTls.trusting(trustedCertificates.toFile());
        return this;
    }

    /**
     * Connects with TLS as {@code context} says (e.g. a client certificate). Its handlers are made for
     * the host given to {@link #address}, so Netty's client contexts verify that host name unless the
     * context was built with {@code endpointIdentificationAlgorithm(null)}.
     */
    public PushClientBuilder tls(SslContext context) {
        if (!requireNonNull(context, "context").isClient()) {
            throw new IllegalArgumentException("context: a server context (expected: SslContextBuilder.forClient())");
        }
        this.tls = context;
        return this;
    }

    /**
     * Runs the client on one event loop of the application's {@code group} instead of a thread of its
     * own, e.g. to share the threads of an application that is itself built on Netty. The client uses
     * NIO sockets, so the group must run NIO ({@code new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory())}).
     * {@link PushClient#close()} leaves the group running: shutting it down is the application's job,
     * after closing its clients.
     *
     * @throws IllegalArgumentException if {@code group} is not an NIO group
     */
    public PushClientBuilder eventLoopGroup(EventLoopGroup group) {
        requireNonNull(group, "group");
        if (!(group instanceof IoEventLoopGroup io) || !io.isIoType(NioIoHandler.class)) {
            throw new IllegalArgumentException("group: " + group.getClass().getName()
                    + " (expected: an NIO group, new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory()))");
        }
        this.group = group;
        return this;
    }

    /**
     * Calls the listener, and completes the futures the client returns, on {@code executor} instead of
     * the client's I/O thread: callbacks may then take their time without holding up the connection.
     * They still run one at a time and in the client's order (an answer's {@code onJoined} before its
     * future), even on a pool of threads. The client never shuts {@code executor} down; if it rejects a
     * task, callbacks are dropped (and logged) and the client itself goes on.
     */
    public PushClientBuilder callbackExecutor(Executor executor) {
        this.callbackExecutor = requireNonNull(executor, "executor");
        return this;
    }

    public PushClient build() {
        requireNonNull(address, "address");
        requireNonNull(tokens, "tokenSupplier");
        return new PushClient(this);
    }

    private static Duration positive(Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("expected a positive duration: " + d);
        }
        return d;
    }
}
