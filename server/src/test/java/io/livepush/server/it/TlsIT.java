package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.testing.TestCertificate;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client ports with {@code --tls-cert} / {@code --tls-key}: TLS clients over TCP and WebSocket,
 * plaintext and TLS 1.1 clients refused without noise, the admin port still plain, and a certificate
 * renewed on disk served to new connections while open ones go on.
 */
class TlsIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final TestCertificate FIRST = TestCertificate.localhost();
    private static final TestCertificate SECOND = TestCertificate.localhost();
    /** Clients trust both, so that every test passes whichever of the two the server has. */
    private static final SSLContext TRUST_BOTH = TestCertificate.trusting(FIRST, SECOND);

    private static final TestCertificate.PemFiles FILES = FIRST.writeToTempDir();
    private static final Path CERT = FILES.cert();
    private static final Path KEY = FILES.key();

    @RegisterExtension
    static final PushServerExtension server =
            new PushServerExtension(b -> b.tlsCert(CERT).tlsKey(KEY));

    private final AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);

    @AfterAll
    static void deleteFiles() {
        FILES.delete();
    }

    @Test
    void aTlsClientConnectsJoinsAndReceivesWhatTheAdminApiPublishesOverPlainHttp() throws Exception {
        try (TestClient c = TestClient.openTls(server.tcpAddress(), TRUST_BOTH)) {
            assertThat(c.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
            c.connect(server.tokenFor("tls-user"));
            assertThat(c.join("tls.room").hasJoined()).isTrue();

            assertThat(admin.post(
                                    "/api/v1/channels/tls.room/messages",
                                    AdminClient.object().put("kind", "chat").put("text", "over tls"))
                            .status())
                    .isEqualTo(200);

            Message m = c.messages("tls.room", 1).get(0);
            assertThat(m.getPayload().toStringUtf8()).isEqualTo("over tls");
        }
    }

    @Test
    void aPlaintextClientOnTheTlsPortIsClosedWithOneLineAndNoStackTrace() throws Exception {
        try (LogLines refusals = LogLines.of("io.livepush.server.bootstrap.TlsFailureHandler");
                LogLines all = LogLines.of(org.slf4j.Logger.ROOT_LOGGER_NAME);
                TestClient plain = TestClient.open(server.tcpAddress())) {
            String token = server.tokenFor("plain-user");
            plain.send(ClientFrame.newBuilder()
                    .setConnect(Connect.newBuilder().setToken(token).setProtocolVersion(1)));
            plain.awaitClosed();

            awaitLines(refusals, "not TLS");
            assertThat(refusals.containing("not TLS"))
                    .singleElement()
                    .asString()
                    .contains("plaintext client")
                    .doesNotContain("record"); // not Netty's message: a dump of the bytes
            assertThat(all.withStackTraces()).isEmpty();
        }
    }

    @Test
    void webSocketOverTlsAndTheSharePageOverHttps() throws Exception {
        String httpsUrl = "https://127.0.0.1:" + server.wsAddress().getPort();
        HttpClient https = HttpClient.newBuilder().sslContext(TRUST_BOTH).build();
        HttpResponse<String> page = https.send(
                HttpRequest.newBuilder(URI.create(httpsUrl + "/share/tls.ws")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<html");

        try (WsTestClient ws = WsTestClient.openTls(httpsUrl, WebSocketSubprotocols.PROTO, TRUST_BOTH)) {
            ServerFrame connected = ws.request(ClientFrame.newBuilder()
                    .setConnect(Connect.newBuilder()
                            .setToken(server.tokenFor("wss-user"))
                            .setProtocolVersion(1)));
            assertThat(connected.hasConnected()).as("%s", connected).isTrue();
            assertThat(ws.request(ClientFrame.newBuilder()
                                    .setJoin(JoinRoom.newBuilder().setRoom("tls.ws")))
                            .hasJoined())
                    .isTrue();

            admin.post(
                    "/api/v1/channels/tls.ws/messages",
                    AdminClient.object().put("kind", "chat").put("text", "wss"));

            ServerFrame m = ws.await(ServerFrame::hasMessage);
            assertThat(m.getMessage().getPayload().toStringUtf8()).isEqualTo("wss");
        }
    }

    @Test
    void tls12And13AreAcceptedAndTls11IsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(OpenSsl.isAvailable(), "a TLS 1.1 client needs BoringSSL");
        try (LogLines refusals = LogLines.of("io.livepush.server.bootstrap.TlsFailureHandler")) {
            assertThat(handshake("TLSv1.3")).isEqualTo("TLSv1.3");
            assertThat(handshake("TLSv1.2")).isEqualTo("TLSv1.2");
            assertThat(handshake("TLSv1.1")).startsWith("refused").containsIgnoringCase("protocol");
            awaitLines(refusals, "TLS failed");
        }
    }

    @Test
    void aCertificateRenewedOnDiskIsServedToNewConnectionsWhileOpenOnesGoOn() throws Exception {
        try (TestClient before = TestClient.openTls(server.tcpAddress(), TRUST_BOTH);
                LogLines reloads = LogLines.of("io.livepush.server.bootstrap.ServerTls")) {
            assertThat(before.tlsSession().getPeerCertificates()[0]).isEqualTo(FIRST.certificate());
            before.connect(server.tokenFor("renewal"));

            SECOND.writeTo(CERT, KEY);
            awaitServed(SECOND);
            assertThat(before.join("tls.renewal").hasJoined())
                    .as("the open connection goes on")
                    .isTrue();

            Files.writeString(CERT, "not a certificate");
            awaitLines(reloads, "cannot be used");
            assertThat(reloads.containing("cannot be used"))
                    .singleElement()
                    .asString()
                    .contains("--tls-cert")
                    .contains("not a PEM file");
            assertThat(served()).as("a bad file keeps the previous certificate").isEqualTo(SECOND.certificate());

            FIRST.writeTo(CERT, KEY);
            awaitServed(FIRST);
            assertThat(before.publish("tls.renewal", "still here").hasPublished())
                    .isTrue();
        }
    }

    /** The certificate a new connection gets. */
    private static X509Certificate served() throws IOException {
        InetSocketAddress tcp = server.tcpAddress();
        try (SSLSocket s = (SSLSocket) TRUST_BOTH.getSocketFactory().createSocket(tcp.getAddress(), tcp.getPort())) {
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    /** Polls new connections until they get {@code expected} (the server looks at the files every few seconds). */
    private static void awaitServed(TestCertificate expected) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        X509Certificate got = served();
        while (!got.equals(expected.certificate())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still served " + got.getSerialNumber() + " after " + DEADLINE);
            }
            Thread.sleep(100); // between polls of a remote state, with a deadline
            got = served();
        }
    }

    private static void awaitLines(LogLines lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (lines.containing(text).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with '" + text + "' within " + DEADLINE);
            }
            Thread.sleep(20); // between polls of the log, with a deadline
        }
    }

    /** A TLS handshake offering only {@code protocol}: the protocol agreed on, or {@code refused: <why>}. */
    private static String handshake(String protocol) throws Exception {
        SslContext context = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .trustManager(FIRST.certificate(), SECOND.certificate())
                .protocols(protocol)
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            AtomicReference<SslHandler> tls = new AtomicReference<>();
            InetSocketAddress tcp = server.tcpAddress();
            Channel ch = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            tls.set(context.newHandler(ch.alloc(), "127.0.0.1", tcp.getPort()));
                            ch.pipeline().addLast(tls.get(), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close(); // the failed handshake: its future tells the test
                                }
                            });
                        }
                    })
                    .connect(tcp)
                    .sync()
                    .channel();
            Future<Channel> done = tls.get().handshakeFuture();
            assertThat(done.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS))
                    .as("handshake finished")
                    .isTrue();
            String result =
                    done.isSuccess() ? tls.get().engine().getSession().getProtocol() : "refused: " + done.cause();
            ch.close().sync();
            return result;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
