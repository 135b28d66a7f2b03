package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.server.config.Namespace;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A namespace without presence: rooms work, but report no members, to clients and to the admin API. */
class NamespacePresenceIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(
            b -> b.namespaces(List.of(new Namespace("stage.", 100, 3600, true, false, 65536, false, Set.of()))));

    private final AdminClient admin = new AdminClient(server.adminUrl(), PushServerExtension.API_KEY);

    @Test
    void roomsOfANamespaceWithoutPresenceReportZeroMembersWhileOthersCount() throws Exception {
        try (TestClient a = server.connect("a");
                TestClient b = server.connect("b");
                TestClient c = server.connect("c");
                TestClient d = server.connect("d")) {
            a.join("stage.show");
            assertThat(b.join("stage.show").getJoined().getMembers()).isZero();
            c.join("hall.show");
            assertThat(d.join("hall.show").getJoined().getMembers()).isEqualTo(2);

            assertThat(admin.get("/api/v1/channels/stage.show")
                            .json()
                            .get("members")
                            .asInt())
                    .isZero();
            assertThat(admin.get("/api/v1/channels/hall.show")
                            .json()
                            .get("members")
                            .asInt())
                    .isEqualTo(2);

            assertThat(a.publish("stage.show", "still delivered").hasPublished())
                    .isTrue();
            assertThat(b.messages("stage.show", 1).get(0).getPayload().toStringUtf8())
                    .isEqualTo("still delivered");
        }
    }
}
