package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.server.metrics.PushMetrics;
import io.livepush.server.store.ChronicleMessageLog;
import io.livepush.server.store.MessageLog;
import io.livepush.server.store.StoreConfig;
import io.livepush.server.testing.MutableClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeps over a real store: each hands what it finds to the channel's home (one thread here). */
class StoreMaintenanceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T00:00:00Z"));
    private final HomeExecutors homes = new HomeExecutors(1, 1024);
    private final PushMetrics metrics = new PushMetrics();
    private MessageLog log;
    private ChannelStates states;
    private StoreMaintenance maintenance;

    @AfterEach
    void close() throws IOException {
        maintenance.close();
        homes.shutdownGracefully().awaitUninterruptibly();
        log.close();
        metrics.close();
    }

    @Test
    void theRetentionSweepDropsWhatIsPastTheAgeWhetherAChannelKeepsOneMessageOrMany() throws Exception {
        open(1_000, 1_000);
        log.append("one", "k", ByteString.EMPTY, "", clock.millis());
        log.append("many", "k", ByteString.EMPTY, "", clock.millis());
        clock.advance(Duration.ofMinutes(50));
        log.append("many", "k", ByteString.EMPTY, "", clock.millis());
        log.append("young", "k", ByteString.EMPTY, "", clock.millis());

        clock.advance(Duration.ofMinutes(20)); // the first two messages are 70 min old, the others 20
        maintenance.trimExpired();

        await(() -> log.current("one").kept() == 0);
        await(() -> log.current("many").kept() == 1);
        assertThat(log.current("many").firstSeq()).isEqualTo(2);
        assertThat(log.current("young").kept()).isEqualTo(1);
    }

    @Test
    void overCapacityTheLeastRecentlyPublishedGoUnlessSomeoneFollowsThem() throws Exception {
        open(100, 10);
        for (int i = 0; i < 11; i++) {
            log.append("c" + i, "k", ByteString.EMPTY, "", clock.millis());
            clock.advance(Duration.ofSeconds(1));
        }
        String epoch = log.current("c1").epoch();
        EmbeddedChannel member = new EmbeddedChannel();
        member.pipeline().addLast(new Outbox(Outbox.Framing.DELIMITED));
        states.get("c0").add(new Subscription(Outbox.of(member), "c0", false, false));

        maintenance.evictIfOverCapacity(); // 11 channels, capacity 10: down to 9, the oldest not followed

        await(() -> log.channelCount() == 9);
        assertThat(log.find("c0"))
                .as("followed: its member's position stays valid")
                .isPresent();
        assertThat(log.find("c1")).isEmpty();
        assertThat(log.find("c2")).isEmpty();
        assertThat(log.current("c1").epoch()).isNotEqualTo(epoch);
        assertThat(metrics.scrape()).contains("push_store_evictions_total{store=\"channels\"} 2.0");
        member.finishAndReleaseAll();
    }

    private void open(long maxMessages, long maxChannels) {
        log = ChronicleMessageLog.open(
                new StoreConfig(dir, maxMessages, 64, maxChannels, 1_000, Duration.ofHours(1), clock));
        metrics.bindStore("channels", log::channelCount, maxChannels);
        metrics.bindStore("messages", log::messageCount, maxMessages);
        states = new ChannelStates(
                clock,
                60_000,
                Long.MAX_VALUE,
                name -> new ChannelState(
                        name,
                        homes.homeOf(name),
                        new RecentFrames(8, new FrameBudget(1 << 20)),
                        new LoopFlushers(),
                        clock.millis(),
                        true,
                        false),
                st -> {});
        maintenance = new StoreMaintenance(homes, states, log, metrics, clock);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", DEADLINE).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
