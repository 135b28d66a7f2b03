package io.livepush.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.MemberJoined;
import io.livepush.proto.v1.ServerFrame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Many clients joining one room at once: what a member of it hears, within the join/leave event cap. */
final class MassJoin {
    /** The cap as the proto and README document it. */
    static final int CAP_PER_SECOND = 10;

    private static final int JOINERS = 40;

    private MassJoin() {}

    /**
     * Connects and joins {@link #JOINERS} clients to {@code room}, one of them then publishes a marker; the
     * {@code member_joined} events {@code watcher} got before the marker, checked against the cap.
     *
     * @param joinersNode where the joiners connect: the watcher's node or another
     */
    static List<MemberJoined> eventsHeard(TestClient watcher, String room, ClusterNode joinersNode) throws IOException {
        List<TestClient> joiners = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < JOINERS; i++) {
                TestClient c = joinersNode.connect(room + ".joiner" + i);
                joiners.add(c);
                c.join(room);
            }
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            // Behind every join event of the room: a node sends both in the order they happened.
            joiners.get(0).publish(room, "marker");

            List<MemberJoined> heard = new ArrayList<>();
            ServerFrame f;
            while (!(f = watcher.skipUntil(x -> x.hasMessage() || x.hasMemberJoined())).hasMessage()) {
                heard.add(f.getMemberJoined());
            }
            assertThat(heard)
                    .as("at most %d per started second of the %d ms the joins took", CAP_PER_SECOND, elapsedMs)
                    .hasSizeBetween(1, (int) Math.min(JOINERS, CAP_PER_SECOND * (elapsedMs / 1000 + 2)));
            return heard;
        } finally {
            for (TestClient c : joiners) {
                c.close();
            }
        }
    }
}
