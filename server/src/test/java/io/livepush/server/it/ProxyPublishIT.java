package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.History;
import io.livepush.proto.v1.Message;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.it.FakeBackend.Answer;
import io.livepush.server.proxy.ProxyConfig;
import io.livepush.server.proxy.ProxyHook;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The publish hook against a real HTTP backend: refusal, rewrite (moderation), order, failure. */
class ProxyPublishIT {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Released when the backend got the second publish of the ordering test: the first is answered after it. */
    static final CountDownLatch secondArrived = new CountDownLatch(1);

    @RegisterExtension
    @Order(1)
    static final FakeBackend backend = new FakeBackend();

    @RegisterExtension
    @Order(2)
    static final PushServerExtension server = new PushServerExtension(
            b -> b.proxy(new ProxyConfig(Map.of(ProxyHook.PUBLISH, backend.url("publish")), TIMEOUT, 1000, List.of())));

    static {
        backend.on("publish", ProxyPublishIT::moderate);
    }

    private static Answer moderate(JsonNode r) {
        String text = new String(Base64.getDecoder().decode(r.path("payload").asText()), StandardCharsets.UTF_8);
        switch (text) {
            case "spam" -> {
                return Answer.json("{\"error\": {\"message\": \"no spam here\"}}");
            }
            case "darn" -> {
                return Answer.json("{\"result\": {\"text\": \"****\"}}");
            }
            case "binary" -> {
                return Answer.json("{\"result\": {\"payload\": \"AAEC\"}}");
            }
            case "slow" -> {
                return Answer.hang();
            }
            case "order-1" -> {
                try {
                    secondArrived.await(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Answer.json("{\"result\": {}}");
            }
            case "order-2" -> {
                secondArrived.countDown();
                return Answer.json("{\"result\": {}}");
            }
            default -> {
                return Answer.json("{\"result\": {}}");
            }
        }
    }

    @Test
    void refusedPublishIsForbiddenAndNotStored() throws Exception {
        try (TestClient c = server.connect("p1")) {
            ServerFrame refused = c.publish("mod.p1", "spam");
            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refused.getError().getMessage()).isEqualTo("no spam here");
            assertThat(c.publish("mod.p1", "hello").getPublished().getSeq()).isEqualTo(1);
        }
    }

    @Test
    void rewrittenPayloadIsWhatMembersAndHistoryGet() throws Exception {
        try (TestClient member = server.connect("m2");
                TestClient c = server.connect("p2")) {
            member.join("mod.p2");
            assertThat(c.publish("mod.p2", "darn").hasPublished()).isTrue();
            assertThat(c.publish("mod.p2", "binary").hasPublished()).isTrue();
            List<Message> live = member.messages("mod.p2", 2);
            assertThat(live.get(0).getPayload().toStringUtf8()).isEqualTo("****");
            assertThat(live.get(1).getPayload()).isEqualTo(ByteString.copyFrom(new byte[] {0, 1, 2}));

            ServerFrame history = c.request(ClientFrame.newBuilder()
                    .setHistory(History.newBuilder().setChannel("mod.p2").setLimit(10)));
            assertThat(history.getHistory().getMessagesList())
                    .extracting(m -> m.getPayload())
                    .containsExactly(ByteString.copyFromUtf8("****"), ByteString.copyFrom(new byte[] {0, 1, 2}));
        }
    }

    @Test
    void connectionsPublishesKeepTheirOrderWhenTheBackendAnswersOutOfOrder() throws Exception {
        try (TestClient member = server.connect("m3");
                TestClient c = server.connect("p3")) {
            member.join("mod.p3");
            List<Integer> ids = new ArrayList<>();
            for (String text : List.of("order-1", "order-2", "order-3")) {
                ids.add(c.send(ClientFrame.newBuilder()
                        .setPublish(Publish.newBuilder()
                                .setChannel("mod.p3")
                                .setKind("chat")
                                .setPayload(ByteString.copyFromUtf8(text)))));
            }
            for (int i = 0; i < ids.size(); i++) {
                int id = ids.get(i);
                assertThat(c.await(f -> f.getReplyTo() == id).getPublished().getSeq())
                        .isEqualTo(i + 1);
            }
            assertThat(secondArrived.getCount())
                    .as("the backend got the second before answering the first")
                    .isZero();
            assertThat(member.messages("mod.p3", 3))
                    .extracting(m -> m.getPayload().toStringUtf8())
                    .containsExactly("order-1", "order-2", "order-3");
        }
    }

    @Test
    void silentBackendGivesUnavailableAndStoresNothing() throws Exception {
        try (TestClient c = server.connect("p4")) {
            long start = System.nanoTime();
            ServerFrame failed = c.publish("mod.p4", "slow");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(3));
            assertThat(failed.getError().getCode()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(failed.getError().getFatal()).isFalse();
            assertThat(c.publish("mod.p4", "fine").getPublished().getSeq()).isEqualTo(1);
        }
    }
}
