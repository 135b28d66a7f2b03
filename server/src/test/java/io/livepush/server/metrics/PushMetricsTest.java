package io.livepush.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.livepush.proto.v1.ErrorCode;
import io.livepush.server.config.BuildInfo;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PushMetricsTest {
    private final PushMetrics metrics = new PushMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void countsShowUpUnderTheirPrometheusNames() {
        metrics.connectionOpened(ClientTransport.TCP);
        metrics.connectionOpened(ClientTransport.TCP);
        metrics.connectionOpened(ClientTransport.WEBSOCKET);
        metrics.connectionClosed(ClientTransport.TCP, CloseReason.IDLE);
        metrics.connectionClosed(ClientTransport.WEBSOCKET, CloseReason.fatal(ErrorCode.TOKEN_EXPIRED));
        metrics.connected(ClientTransport.WEBSOCKET);
        metrics.resumed(true);
        metrics.resumed(false);
        metrics.resumed(false);
        metrics.traffic(ClientTransport.TCP).received(100);
        metrics.traffic(ClientTransport.TCP).sent(250);
        metrics.adminRequest("POST", "/api/v1/channels/{}/messages", 200);
        metrics.connectionRejected();
        metrics.published();
        metrics.delivered(5);
        metrics.replayed(3);
        metrics.dropped(2);
        metrics.slowConsumerClosed();
        metrics.error(ErrorCode.RATE_LIMITED);
        metrics.error(ErrorCode.RATE_LIMITED);
        metrics.error(ErrorCode.UNRECOGNIZED);
        metrics.deliveryLatency(Duration.ofMillis(3).toNanos());

        assertThat(metrics.scrape())
                .contains(
                        "\npush_connections{transport=\"tcp\"} 1.0\n",
                        "\npush_connections{transport=\"websocket\"} 0.0\n",
                        "\npush_connects_total{transport=\"websocket\"} 1.0\n",
                        "\npush_disconnects_total{reason=\"idle\"} 1.0\n",
                        "\npush_disconnects_total{reason=\"token_expired\"} 1.0\n",
                        "\npush_disconnects_total{reason=\"client_closed\"} 0.0\n",
                        "\npush_resumes_total{outcome=\"recovered\"} 1.0\n",
                        "\npush_resumes_total{outcome=\"not_recovered\"} 2.0\n",
                        "\npush_received_bytes_total{transport=\"tcp\"} 100.0\n",
                        "\npush_sent_bytes_total{transport=\"tcp\"} 250.0\n",
                        "\npush_admin_requests_total{method=\"POST\",route=\"/api/v1/channels/{}/messages\",status=\"200\"} 1.0\n",
                        "\npush_connections_rejected_total 1.0\n",
                        "\npush_messages_published_total 1.0\n",
                        "\npush_messages_delivered_total 5.0\n",
                        "\npush_messages_replayed_total 3.0\n",
                        "\npush_messages_dropped_total 2.0\n",
                        "\npush_slow_consumers_closed_total 1.0\n",
                        "\npush_errors_total{code=\"RATE_LIMITED\"} 2.0\n",
                        "\npush_errors_total{code=\"UNKNOWN\"} 1.0\n",
                        "\npush_delivery_latency_seconds_count 1\n",
                        "\npush_delivery_latency_seconds_bucket{le=");
    }

    @Test
    void everyErrorCodeIsThereBeforeItHappens() {
        String text = metrics.scrape();

        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED) {
                assertThat(text).contains("push_errors_total{code=\"" + code.name() + "\"} 0.0");
            }
        }
    }

    @Test
    void gaugesReadTheirSuppliersAtScrapeTime() {
        AtomicLong rooms = new AtomicLong(2);
        metrics.bindRooms(rooms::get);
        metrics.bindSubscriptions(() -> 12);
        rooms.set(7);

        assertThat(metrics.scrape()).contains("\npush_rooms 7.0\n", "\npush_subscriptions 12.0\n");
    }

    @Test
    void storesShowEntriesCapacityFillRatioAndEvictions() {
        AtomicLong applets = new AtomicLong(10);
        metrics.bindStore("applets", applets::get, 40);
        metrics.bindStore("messages", () -> 900, 1000);
        applets.set(30);
        metrics.storeEvicted("messages", 5);
        metrics.storeEvicted("messages", 2);

        assertThat(metrics.scrape())
                .contains(
                        "\npush_store_entries{store=\"applets\"} 30.0\n",
                        "\npush_store_capacity_entries{store=\"applets\"} 40.0\n",
                        "\npush_store_fill_ratio{store=\"applets\"} 0.75\n",
                        "\npush_store_evictions_total{store=\"applets\"} 0.0\n",
                        "\npush_store_entries{store=\"messages\"} 900.0\n",
                        "\npush_store_fill_ratio{store=\"messages\"} 0.9\n",
                        "\npush_store_evictions_total{store=\"messages\"} 7.0\n");
    }

    @Test
    void channelsActiveAndStored() {
        AtomicLong active = new AtomicLong();
        metrics.bindChannels(active::get, () -> 5000);
        active.set(12);

        assertThat(metrics.scrape()).contains("\npush_channels_active 12.0\n", "\npush_channels_stored 5000.0\n");
    }

    @Test
    void buildInfoCarriesVersionAndCommit() {
        assertThat(metrics.scrape())
                .contains("\npush_build_info{commit=\"" + BuildInfo.CURRENT.commit() + "\",version=\""
                        + BuildInfo.CURRENT.version() + "\"} 1\n");
    }

    @Test
    void homeQueuesShowTheirPendingTasksAndCapacity() throws InterruptedException {
        DefaultEventExecutorGroup homes = new DefaultEventExecutorGroup(2);
        try {
            metrics.bindHomes(homes, 512);

            assertThat(metrics.scrape())
                    .contains(
                            "\npush_home_queue_tasks{home=\"0\"} 0.0\n",
                            "\npush_home_queue_tasks{home=\"1\"} 0.0\n",
                            "\npush_home_queue_capacity_tasks 512.0\n");
        } finally {
            homes.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void nettyAllocatorSeriesKeepTheirNamesAcrossStarts() throws InterruptedException {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            metrics.bindNetty(PooledByteBufAllocator.DEFAULT, group);

            assertThat(metrics.scrape().lines().filter(l -> l.startsWith("netty_allocator_")))
                    .isNotEmpty()
                    .noneMatch(l -> l.contains("id=\""));
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void jvmAndNettyMetricsAreBound() throws InterruptedException {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            metrics.bindNetty(PooledByteBufAllocator.DEFAULT, group);

            assertThat(metrics.scrape())
                    .contains(
                            "jvm_memory_used_bytes",
                            "jvm_gc_",
                            "jvm_threads_live_threads",
                            "jvm_classes_loaded_classes",
                            "system_cpu_processors",
                            "process_cpu_seconds_total",
                            "process_uptime_seconds",
                            "netty_allocator_",
                            "netty_eventexecutor_tasks_pending");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
