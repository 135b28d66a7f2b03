package io.livepush.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.MemberLeft;
import io.livepush.server.config.Namespace;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link PushListener#onMemberJoined} and {@link PushListener#onMemberLeft} against a real server. */
class MemberEventsClientIT {
    @RegisterExtension
    static final TestServer SERVER = new TestServer(
            b -> b.namespaces(List.of(new Namespace("stage.", 100, 3600, true, true, 65536, true, Set.of()))));

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aMemberHearsOthersJoinAndLeave() throws Exception {
        List<MemberJoined> joined = new CopyOnWriteArrayList<>();
        List<MemberLeft> left = new CopyOnWriteArrayList<>();
        PushListener listener = new PushListener() {
            @Override
            public void onMemberJoined(MemberJoined event) {
                joined.add(event);
            }

            @Override
            public void onMemberLeft(MemberLeft event) {
                left.add(event);
            }
        };
        try (PushClient host = SERVER.client("stage-host", listener).build()) {
            host.connect().get(10, TimeUnit.SECONDS);
            host.join("stage.show").get(10, TimeUnit.SECONDS);
            try (PushClient guest = SERVER.client("stage-guest", new Recorder()).build()) {
                guest.connect().get(10, TimeUnit.SECONDS);
                guest.join("stage.show").get(10, TimeUnit.SECONDS);
                Recorder.await("the guest's join", WAIT, () -> !joined.isEmpty());
            }
            Recorder.await("the guest's leave", WAIT, () -> !left.isEmpty());
        }
        assertThat(joined).singleElement().satisfies(e -> {
            assertThat(e.getUserId()).isEqualTo("stage-guest");
            assertThat(e.getMembers()).isEqualTo(2);
        });
        assertThat(left).singleElement().satisfies(e -> {
            assertThat(e.getUserId()).isEqualTo("stage-guest");
            assertThat(e.getMembers()).isEqualTo(1);
        });
    }
}
