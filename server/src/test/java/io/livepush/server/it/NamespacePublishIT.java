package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.Publish;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.config.Namespace;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Namespace options on the publish path: who may publish, and how large. */
class NamespacePublishIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.namespaces(List.of(
            new Namespace("news.", 100, 3600, false, true, 65536, false, Set.of()),
            new Namespace("chat.", 100, 3600, true, true, 16, false, Set.of()))));

    @Test
    void clientPublishToANamespaceWithoutPublishIsForbiddenButTheAdminApiMayPublish() throws Exception {
        try (TestClient client = server.connect("reader")) {
            ServerFrame refused = client.publish("news.today", "hello");

            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refused.getError().getMessage()).contains("namespace 'news.'");
            AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
            AdminClient.Reply published = admin.post(
                    "/api/v1/channels/news.today/messages",
                    AdminClient.object().put("kind", "news").put("text", "from the backend"));
            assertThat(published.status()).as("the admin API still publishes").isEqualTo(200);
            assertThat(published.json().get("seq").asLong()).isEqualTo(1);
            assertThat(client.publish("other", "hello").hasPublished())
                    .as("the default namespace allows it")
                    .isTrue();
        }
    }

    @Test
    void payloadOverTheNamespaceLimitIsRefusedWithLimitExceeded() throws Exception {
        try (TestClient client = server.connect("talker")) {
            ServerFrame refused = client.request(ClientFrame.newBuilder()
                    .setPublish(Publish.newBuilder()
                            .setChannel("chat.room")
                            .setKind("chat")
                            .setPayload(ByteString.copyFromUtf8("x".repeat(17)))));
            ServerFrame accepted = client.request(ClientFrame.newBuilder()
                    .setPublish(Publish.newBuilder()
                            .setChannel("chat.room")
                            .setKind("chat")
                            .setPayload(ByteString.copyFromUtf8("x".repeat(16)))));

            assertThat(refused.getError().getCode()).isEqualTo(ErrorCode.LIMIT_EXCEEDED);
            assertThat(refused.getError().getMessage()).contains("17 bytes", "16", "namespace 'chat.'");
            assertThat(accepted.getPublished().getSeq()).isEqualTo(1);
        }
    }

    @Test
    void adminPublishOverTheNamespaceLimitIsRefusedToo() throws Exception {
        AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);
        AdminClient.Reply refused = admin.post(
                "/api/v1/channels/chat.admin/messages",
                AdminClient.object().put("kind", "chat").put("text", "x".repeat(17)));
        AdminClient.Reply accepted = admin.post(
                "/api/v1/channels/chat.admin/messages",
                AdminClient.object().put("kind", "chat").put("text", "x".repeat(16)));

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("error").get("code").asText()).isEqualTo("LIMIT_EXCEEDED");
        assertThat(refused.json().get("error").get("message").asText()).contains("17 bytes", "at most 16");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("seq").asLong()).isEqualTo(1);
    }
}
