package io.livepush.loadtest.dsl;

import static io.livepush.loadtest.dsl.Actions.arrive;
import static io.livepush.loadtest.dsl.Actions.await;
import static io.livepush.loadtest.dsl.Actions.call;
import static io.livepush.loadtest.dsl.Actions.during;
import static io.livepush.loadtest.dsl.Actions.pause;
import static io.livepush.loadtest.dsl.Actions.repeat;
import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Tokens;
import io.livepush.loadtest.stats.RunStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Scripts without connections: loops, pauses, feeders, gates, on a real one-loop engine. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ActionsTest {
    /** Nothing listens there; these scripts never connect. */
    private final LoadEngine engine = new LoadEngine(new InetSocketAddress("127.0.0.1", 1), 1);

    private final Harness harness = new Harness(
            engine, new Tokens("actions-test-secret-0123456789abcdef", Duration.ofMinutes(1)), new RunStats());

    @AfterEach
    void close() {
        engine.close();
    }

    private List<Session> runToEnd(Scenario s) throws Exception {
        List<Session> sessions = s.launch(harness);
        CompletableFuture.allOf(sessions.stream().map(Session::done).toArray(CompletableFuture[]::new))
                .get(20, TimeUnit.SECONDS);
        return sessions;
    }

    @Test
    void repeatRunsItsBodyTheGivenTimesBetweenTheActionsAround() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        AtomicInteger round = new AtomicInteger();
        runToEnd(scenario("x")
                .inject(atOnceUsers(1))
                .exec(
                        call(s -> trace.add("start")),
                        repeat(
                                3,
                                call(s -> trace.add("a" + round.get())),
                                call(s -> trace.add("b" + round.getAndIncrement()))),
                        call(s -> trace.add("end"))));
        assertThat(trace).containsExactly("start", "a0", "b0", "a1", "b1", "a2", "b2", "end");
    }

    @Test
    void longLoopsOfQuickActionsDoNotDeepenTheStack() throws Exception {
        AtomicInteger count = new AtomicInteger();
        runToEnd(scenario("x").inject(atOnceUsers(1)).exec(repeat(100_000, call(s -> count.incrementAndGet()))));
        assertThat(count).hasValue(100_000);
    }

    @Test
    void pauseLetsOtherUsersOfTheSameLoopRun() throws Exception {
        List<String> trace = new CopyOnWriteArrayList<>();
        // One event loop: if A's pause blocked it, B (starting 50 ms in) would have to wait for A's end.
        runToEnd(scenario("x")
                .inject(rampUsers(2).during(Duration.ofMillis(100)))
                .exec(
                        call(s -> trace.add("start" + s.index())),
                        pause(Duration.ofMillis(300)),
                        call(s -> trace.add("end" + s.index()))));
        assertThat(trace).containsExactly("start0", "start1", "end0", "end1");
    }

    @Test
    void randomPauseStaysWithinItsBounds() throws Exception {
        Map<Integer, Long> took = new ConcurrentHashMap<>();
        Map<Integer, Long> began = new ConcurrentHashMap<>();
        runToEnd(scenario("x")
                .inject(atOnceUsers(5))
                .exec(
                        call(s -> began.put(s.index(), System.nanoTime())),
                        pause(Duration.ofMillis(100), Duration.ofMillis(200)),
                        call(s -> took.put(s.index(), System.nanoTime() - began.get(s.index())))));
        assertThat(took.values())
                .hasSize(5)
                .allSatisfy(n -> assertThat(n)
                        .isGreaterThanOrEqualTo(Duration.ofMillis(100).toNanos()));
    }

    @Test
    void duringRepeatsUntilItsTimeIsUp() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        long start = System.nanoTime();
        runToEnd(scenario("x")
                .inject(atOnceUsers(1))
                .exec(during(
                        Duration.ofMillis(500), call(s -> rounds.incrementAndGet()), pause(Duration.ofMillis(50)))));
        assertThat(System.nanoTime() - start)
                .isGreaterThanOrEqualTo(Duration.ofMillis(500).toNanos());
        assertThat(rounds.get()).isBetween(2, 11);
    }

    @Test
    void feedersGiveEachUserItsValuesForExpressions() throws Exception {
        Map<Integer, String> seen = new ConcurrentHashMap<>();
        runToEnd(scenario("x")
                .inject(atOnceUsers(3))
                .feed(Feeders.sequence("user", "u%d"))
                .feed(Feeders.circular("room", List.of("a", "b")))
                .exec(call(s ->
                        seen.put(s.index(), Expr.of("room.#{room}/#{user}!").apply(s) + " " + s.userId()))));
        assertThat(seen)
                .containsExactlyInAnyOrderEntriesOf(Map.of(0, "room.a/u0! u0", 1, "room.b/u1! u1", 2, "room.a/u2! u2"));
    }

    @Test
    void aMissingValueFailsTheUser() {
        List<Session> sessions = scenario("x")
                .inject(atOnceUsers(1))
                .exec(call(s -> Expr.of("#{room}").apply(s)))
                .launch(harness);
        assertThatThrownBy(() -> sessions.get(0).done().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("no value for 'room'");
    }

    @Test
    void usersWaitAtAGateUntilItOpens() throws Exception {
        Checkpoint waiting = new Checkpoint();
        Gate gate = new Gate();
        List<String> trace = new CopyOnWriteArrayList<>();
        List<Session> sessions = scenario("x")
                .inject(atOnceUsers(3))
                .exec(call(s -> trace.add("before")), arrive(waiting), await(gate), call(s -> trace.add("after")))
                .launch(harness);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiting.arrived() < 3 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(waiting.arrived()).isEqualTo(3);
        assertThat(sessions).noneMatch(s -> s.done().isDone());
        assertThat(trace).containsOnly("before");

        long opened = gate.open();
        CompletableFuture.allOf(sessions.stream().map(Session::done).toArray(CompletableFuture[]::new))
                .get(10, TimeUnit.SECONDS);
        assertThat(trace).containsExactly("before", "before", "before", "after", "after", "after");
        assertThat(gate.openedAtNanos()).isEqualTo(opened);
    }
}
