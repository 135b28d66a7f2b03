package io.livepush.loadtest.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ServerMemoryTest {
    @Test
    void liveHeapIsTheTotalOfTheClassHistogram() throws IOException {
        String histogram = """
                12345:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:        100450        8258520  [B (java.base@17.0.15)
                   2:         83175        1996200  java.lang.String (java.base@17.0.15)
                Total        531486       25317944
                """;
        assertThat(ServerMemory.histogramTotalBytes(histogram)).isEqualTo(25_317_944L);
        assertThatThrownBy(() -> ServerMemory.histogramTotalBytes("12345:\nnothing"))
                .isInstanceOf(IOException.class);
    }
}
