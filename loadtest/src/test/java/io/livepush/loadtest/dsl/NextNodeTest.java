package io.livepush.loadtest.dsl;

import static io.livepush.loadtest.dsl.Actions.call;
import static io.livepush.loadtest.dsl.Actions.nextNode;
import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Nodes;
import io.livepush.loadtest.engine.Tokens;
import io.livepush.loadtest.stats.RunStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Which node a user connects to: round-robin by its number, then on to the next with {@code nextNode()}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NextNodeTest {
    /** Nothing listens there; these scripts never connect. */
    private final LoadEngine engine = new LoadEngine(
            Nodes.of(List.of(
                    new InetSocketAddress("127.0.0.1", 1),
                    new InetSocketAddress("127.0.0.1", 2),
                    new InetSocketAddress("127.0.0.1", 3))),
            1,
            null);

    private final Harness harness = new Harness(
            engine, new Tokens("next-node-test-secret-0123456789abcdef", Duration.ofMinutes(1)), new RunStats());

    @AfterEach
    void close() {
        engine.close();
    }

    private static void runToEnd(List<Session> sessions) throws Exception {
        CompletableFuture.allOf(sessions.stream().map(Session::done).toArray(CompletableFuture[]::new))
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void usersAreDealtRoundRobinAndNextNodeMovesEachToTheFollowingOneWrappingAround() throws Exception {
        Map<Integer, Integer> dealt = new ConcurrentHashMap<>();
        List<Session> sessions = scenario("x")
                .inject(atOnceUsers(4))
                .exec(call(s -> dealt.put(s.index(), s.node())), nextNode(), nextNode())
                .launch(harness);
        runToEnd(sessions);

        assertThat(dealt).containsExactlyInAnyOrderEntriesOf(Map.of(0, 0, 1, 1, 2, 2, 3, 0));
        // Two steps on: 0 -> 2, 1 -> 0 (past the last, the first), 2 -> 1, 3 -> 2.
        assertThat(sessions).extracting(Session::node).containsExactly(2, 0, 1, 2);
        assertThat(sessions).allSatisfy(s -> assertThat(s.done()).isCompleted());
    }
}
