package io.livepush.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceMeterTest {

    @Test
    void aWindowGivesCpuPerDeliveryAndCoresOfServerAndHarness() throws IOException {
        long self = ProcessHandle.current().pid();
        // This process stands in for the server too, so both sides see the same CPU time.
        ResourceMeter meter = ResourceMeter.start(List.of(self));
        long until = ProcFs.cpuNanos(self) + 50_000_000; // five clock ticks of work
        while (ProcFs.cpuNanos(self) < until) {
            Thread.onSpinWait();
        }

        ResourceUse use = meter.stop(1_000);

        assertThat(use.serverPids()).containsExactly(self);
        assertThat(use.harnessCpuUsPerDelivery()).isGreaterThanOrEqualTo(50.0);
        assertThat(use.serverCpuUsPerDelivery()).isGreaterThanOrEqualTo(50.0);
        assertThat(use.harnessCpuCores()).isPositive();
        assertThat(use.serverRssMb()).isGreaterThan(1);
    }

    @Test
    void withoutAServerOnlyTheHarnessIsMeasured() {
        ResourceUse use = ResourceMeter.start(List.of()).stop(10);

        assertThat(use.harnessMeasured()).isTrue();
        assertThat(use.serverMeasured()).isFalse();
        assertThat(use.serverRssMb()).isEqualTo(-1);
    }
}
