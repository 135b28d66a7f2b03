package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.livepush.codec.WebSocketSubprotocols;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.Connect;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.proto.v1.Subscribe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension();

    @RegisterExtension
    static final PushServerExtension strictOrigins =
            new PushServerExtension(b -> b.allowedOrigins(List.of("https://good.example")));

    private final AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);

    @ParameterizedTest
    @ValueSource(strings = {WebSocketSubprotocols.PROTO, WebSocketSubprotocols.JSON})
    void connectJoinPublishAndReceiveOverEitherSubprotocol(String subprotocol) {
        String room = "ws.room." + subprotocol.replace('.', '-');
        try (WsTestClient a = connected(subprotocol, "alice");
                WsTestClient b = connected(subprotocol, "bob")) {
            assertThat(a.subprotocol()).isEqualTo(subprotocol);
            assertThat(a.request(join(room)).getJoined().getMembers()).isEqualTo(1);
            assertThat(b.request(join(room)).getJoined().getMembers()).isEqualTo(2);

            ServerFrame ack = a.request(ClientFrame.newBuilder()
                    .setPublish(Publish.newBuilder()
                            .setChannel(room)
                            .setKind("chat")
                            .setPayload(ByteString.copyFromUtf8("héllo"))));

            assertThat(ack.getPublished().getSeq()).isEqualTo(1);
            for (WsTestClient c : List.of(a, b)) { // fan-out: one pre-encoded buffer for both
                Message m = c.await(ServerFrame::hasMessage).getMessage();
                assertThat(m.getSeq()).isEqualTo(1);
                assertThat(m.getPayload().toStringUtf8()).isEqualTo("héllo");
                assertThat(m.getPublisher()).isEqualTo("alice");
            }
        }
    }

    @Test
    void jsonSubprotocolSpeaksCanonicalProtobufJson() throws Exception {
        try (WsTestClient c = WsTestClient.open(server.webUrl(), WebSocketSubprotocols.JSON)) {
            c.sendText("{\"id\": 7, \"connect\": {\"token\": \"" + server.tokenFor("carol")
                    + "\", \"protocol_version\": 1}}");
            c.await(ServerFrame::hasConnected);
            String connected = c.texts.take();
            assertThat(connected).startsWith("{\"replyTo\":7,\"connected\":{").contains("\"userId\":\"carol\"");

            c.sendText("{\"id\": 8, \"subscribe\": {\"channel\": \"ws.json\"}}");
            c.await(ServerFrame::hasSubscribed);
            publishViaApi("ws.json", "one");

            c.await(ServerFrame::hasMessage);
            assertThat(c.texts.stream()
                            .filter(t -> t.contains("\"message\""))
                            .findFirst()
                            .orElseThrow())
                    .contains("\"seq\":\"1\"", "\"payload\":\"b25l\""); // uint64 as a string, bytes as base64
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {WebSocketSubprotocols.PROTO, WebSocketSubprotocols.JSON})
    void resumeAfterReconnectReplaysExactlyWhatWasMissed(String subprotocol) {
        String channel = "ws.resume." + subprotocol.replace('.', '-');
        Position last;
        try (WsTestClient c = connected(subprotocol, "dave")) {
            c.request(
                    ClientFrame.newBuilder().setSubscribe(Subscribe.newBuilder().setChannel(channel)));
            publishViaApi(channel, "m1");
            publishViaApi(channel, "m2");
            c.await(f -> f.hasMessage() && f.getMessage().getSeq() == 1);
            Message m2 =
                    c.await(f -> f.hasMessage() && f.getMessage().getSeq() == 2).getMessage();
            last = Position.newBuilder()
                    .setEpoch(m2.getEpoch())
                    .setSeq(m2.getSeq())
                    .build();
        }
        publishViaApi(channel, "m3");
        publishViaApi(channel, "m4");
        try (WsTestClient c = connected(subprotocol, "dave")) {
            ServerFrame subscribed = c.request(ClientFrame.newBuilder()
                    .setSubscribe(Subscribe.newBuilder().setChannel(channel).setSince(last)));
            assertThat(subscribed.getSubscribed().getRecovered()).isTrue();
            assertThat(subscribed.getSubscribed().getReplayed()).isEqualTo(2);
            assertThat(c.await(ServerFrame::hasMessage).getMessage().getSeq()).isEqualTo(3);
            assertThat(c.await(ServerFrame::hasMessage).getMessage().getSeq()).isEqualTo(4);
            publishViaApi(channel, "m5");
            assertThat(c.await(ServerFrame::hasMessage)
                            .getMessage()
                            .getPayload()
                            .toStringUtf8())
                    .isEqualTo("m5");
        }
    }

    @Test
    void badJsonGetsMalformedFrameAndClose() {
        try (WsTestClient c = connected(WebSocketSubprotocols.JSON, "erin")) {
            c.sendText("{\"id\": 2, \"ping\": ");

            ServerFrame error = c.await(ServerFrame::hasError);
            assertThat(error.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
            assertThat(error.getError().getFatal()).isTrue();
            assertThat(c.awaitClosed())
                    .as("a Close frame: invalid payload data, not 1006")
                    .isEqualTo(1007);
        }
    }

    @Test
    void messageAboveMaxFrameBytesGetsFrameTooLargeAndClose() {
        try (WsTestClient c = connected(WebSocketSubprotocols.PROTO, "frank")) {
            c.sendBinary(new byte[70_000]); // default --max-frame-bytes 65536; the server drains the rest, no reset

            assertThat(c.await(ServerFrame::hasError).getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
            assertThat(c.awaitClosed())
                    .as("a Close frame: message too big, not 1006")
                    .isEqualTo(1009);
        }
    }

    @Test
    void firstFrameMustBeConnect() {
        try (WsTestClient c = WsTestClient.open(server.webUrl(), WebSocketSubprotocols.PROTO)) {
            c.send(join("ws.early"));

            assertThat(c.await(ServerFrame::hasError).getError().getCode()).isEqualTo(ErrorCode.NOT_CONNECTED);
            c.awaitClosed();
        }
    }

    @Test
    void unknownOrMissingSubprotocolIsRefusedBeforeTheUpgrade() {
        assertHandshakeRefused(() -> WsTestClient.open(server.webUrl(), "chat.v2"), 400);
        assertHandshakeRefused(() -> WsTestClient.open(server.webUrl(), null), 400);
    }

    @Test
    void disallowedOriginIsForbiddenBeforeTheUpgrade() {
        assertHandshakeRefused(
                () -> WsTestClient.open(strictOrigins.webUrl(), WebSocketSubprotocols.JSON, "https://evil.example"),
                403);
        try (WsTestClient ok =
                WsTestClient.open(strictOrigins.webUrl(), WebSocketSubprotocols.JSON, "https://good.example")) {
            assertThat(ok.subprotocol()).isEqualTo(WebSocketSubprotocols.JSON);
        }
        try (WsTestClient anyOnLoopback =
                WsTestClient.open(server.webUrl(), WebSocketSubprotocols.JSON, "https://evil.example")) {
            assertThat(anyOnLoopback.subprotocol())
                    .as("no list on a loopback bind: any origin")
                    .isEqualTo(WebSocketSubprotocols.JSON);
        }
    }

    @Test
    void webPortServesTheSharePageAndItsAssetsAnd404Otherwise() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> page = get(http, "/share/room.lobby?token=abc");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
                .contains("default-src 'none'");
        assertThat(page.body()).contains("/static/share.js").doesNotContain("http://", "https://");
        assertThat(get(http, "/static/share.js").body()).contains("push.v1.json");
        assertThat(get(http, "/static/share.css").statusCode()).isEqualTo(200);
        assertThat(get(http, "/share/bad%20room").statusCode()).isEqualTo(404);
        assertThat(get(http, "/etc/passwd").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> get(HttpClient http, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(server.webUrl() + path))
                        .timeout(TestClient.TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void assertHandshakeRefused(Runnable open, int status) {
        assertThatThrownBy(open::run)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(
                                ((WebSocketHandshakeException) e).getResponse().statusCode())
                        .isEqualTo(status));
    }

    private WsTestClient connected(String subprotocol, String user) {
        WsTestClient c = WsTestClient.open(server.webUrl(), subprotocol);
        ServerFrame answer = c.request(ClientFrame.newBuilder()
                .setConnect(Connect.newBuilder()
                        .setToken(server.tokenFor(user))
                        .setProtocolVersion(1)
                        .setClient("ws-it")));
        assertThat(answer.hasConnected()).as("connected: %s", answer).isTrue();
        return c;
    }

    private static ClientFrame.Builder join(String room) {
        return ClientFrame.newBuilder().setJoin(JoinRoom.newBuilder().setRoom(room));
    }

    private void publishViaApi(String channel, String text) {
        AdminClient.Reply reply = admin.post(
                "/api/v1/channels/" + channel + "/messages",
                AdminClient.object().put("kind", "chat").put("text", text));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }
}
