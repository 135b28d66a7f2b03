package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livepush.server.config.Namespace;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each namespace keeps its own history, on either engine (this IT also runs in the redis-engine execution). */
class NamespaceRetentionIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(b -> b.retentionMaxMessages(100)
            .namespaces(List.of(
                    new Namespace("short.", 3, 3600, true, true, 65536, false, Set.of()),
                    new Namespace("brief.", 100, 1, true, true, 65536, false, Set.of()))));

    private final AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);

    @Test
    void aNamespaceKeepsItsOwnNumberOfMessagesAndTheDefaultKeepsTheFlags() {
        for (int i = 1; i <= 5; i++) {
            publish("short.room", "m" + i);
            publish("plain.room", "m" + i);
        }

        JsonNode shortHistory = history("short.room");
        JsonNode plainHistory = history("plain.room");

        assertThat(shortHistory.get("first_seq").asLong()).isEqualTo(3);
        assertThat(shortHistory.get("messages")).hasSize(3);
        assertThat(plainHistory.get("first_seq").asLong()).isEqualTo(1);
        assertThat(plainHistory.get("messages")).hasSize(5);
    }

    @Test
    void aNamespaceDropsMessagesPastItsOwnAge() {
        publish("brief.room", "soon gone");
        publish("plain.aged", "kept");

        long deadline = System.nanoTime() + 15_000_000_000L;
        while (keptMessages("brief.room") > 0) {
            assertThat(System.nanoTime())
                    .as("the 1 s namespace drops its message within 15 s")
                    .isLessThan(deadline);
            Thread.onSpinWait();
        }
        assertThat(keptMessages("plain.aged"))
                .as("the default namespace keeps a day")
                .isEqualTo(1);
    }

    private void publish(String channel, String text) {
        AdminClient.Reply reply = admin.post(
                "/api/v1/channels/" + channel + "/messages",
                AdminClient.object().put("kind", "test").put("text", text));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    }

    private JsonNode history(String channel) {
        AdminClient.Reply reply = admin.get("/api/v1/channels/" + channel + "/messages?since_seq=0&limit=100");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    /** Messages the channel keeps; a channel whose whole history expired (Redis) answers 404. */
    private int keptMessages(String channel) {
        AdminClient.Reply reply = admin.get("/api/v1/channels/" + channel + "/messages?since_seq=0&limit=100");
        return reply.status() == 404 ? 0 : reply.json().get("messages").size();
    }
}
