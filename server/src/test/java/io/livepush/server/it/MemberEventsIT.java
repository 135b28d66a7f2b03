package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.LeaveRoom;
import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.config.Namespace;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** member_joined / member_left pushes in namespaces with join-leave-events, rate-capped per room. */
class MemberEventsIT {
    @RegisterExtension
    static final PushServerExtension server = new PushServerExtension(
            b -> b.namespaces(List.of(new Namespace("live.", 100, 3600, true, true, 65536, true, Set.of()))));

    @Test
    void membersHearOfJoinsAndLeavesWithTheCount() throws Exception {
        try (TestClient a = server.connect("alice");
                TestClient b = server.connect("bob")) {
            a.join("live.room");
            b.join("live.room");

            MemberJoined joined = a.await(ServerFrame::hasMemberJoined).getMemberJoined();
            assertThat(joined.getRoom()).isEqualTo("live.room");
            assertThat(joined.getUserId()).isEqualTo("bob");
            assertThat(joined.getMembers()).isEqualTo(2);

            b.request(ClientFrame.newBuilder().setLeave(LeaveRoom.newBuilder().setRoom("live.room")));
            ServerFrame left = a.await(ServerFrame::hasMemberLeft);
            assertThat(left.getMemberLeft().getUserId()).isEqualTo("bob");
            assertThat(left.getMemberLeft().getMembers()).isEqualTo(1);
        }
    }

    @Test
    void aRoomOutsideTheNamespaceSendsNoEvents() throws Exception {
        try (TestClient a = server.connect("carol");
                TestClient b = server.connect("dave")) {
            a.join("plain.room");
            b.join("plain.room");
            b.publish("plain.room", "marker");

            ServerFrame next = a.skipUntil(f -> f.hasMessage() || f.hasMemberJoined());
            assertThat(next.hasMessage())
                    .as("the marker comes first: no join event")
                    .isTrue();
        }
    }

    @Test
    void aMassJoinIsCappedAtTenEventsPerSecondPerRoom() throws Exception {
        try (TestClient watcher = server.connect("watcher")) {
            watcher.join("live.mass");
            long lastMembers = 1;
            for (MemberJoined joined : MassJoin.eventsHeard(watcher, "live.mass", server)) {
                assertThat(joined.getMembers()).isGreaterThan(lastMembers);
                lastMembers = joined.getMembers();
            }
        }
    }
}
