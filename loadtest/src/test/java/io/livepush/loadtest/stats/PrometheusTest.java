package io.livepush.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTest {
    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 4194304.0
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 1.6949248E7
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 3.75468E7
            jvm_memory_used_bytes_total{area="heap"} 99.0
            netty_allocator_memory_used_bytes{allocator_type="AdaptiveByteBufAllocator",memory_type="direct"} 131072.0
            netty_allocator_memory_used_bytes{allocator_type="AdaptiveByteBufAllocator",memory_type="heap"} 0.0
            push_connections 3.0
            push_connections_rejected_total 7.0
            """;

    @Test
    void sumsTheSamplesWithTheLabelOnly() {
        assertThat(Prometheus.sum(TEXT, "jvm_memory_used_bytes", "area=\"heap\""))
                .isEqualTo(4194304 + 16949248);
        assertThat(Prometheus.sum(TEXT, "netty_allocator_memory_used_bytes", "memory_type=\"direct\""))
                .isEqualTo(131072);
    }

    @Test
    void aSampleWithoutLabelsCountsForTheEmptyLabelOnly() {
        assertThat(Prometheus.sum(TEXT, "push_connections", "")).isEqualTo(3);
        assertThat(Prometheus.sum(TEXT, "push_connections", "x=\"y\"")).isEqualTo(-1);
    }

    @Test
    void absentMetricIsMinusOne() {
        assertThat(Prometheus.sum(TEXT, "jvm_buffer_memory_used_bytes", "id=\"direct\""))
                .isEqualTo(-1);
    }
}
