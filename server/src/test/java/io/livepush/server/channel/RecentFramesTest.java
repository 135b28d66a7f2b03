package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecentFramesTest {
    private final List<ByteBuf> added = new ArrayList<>();

    @AfterEach
    void everyFrameReleased() {
        assertThat(added).allSatisfy(b -> assertThat(b.refCnt()).as("released").isZero());
    }

    @Test
    void readsFromAHeldSeqUpToMax() {
        RecentFrames recent = new RecentFrames(8, new FrameBudget(1 << 20));
        for (long seq = 1; seq <= 5; seq++) {
            recent.add(seq, frame("m" + seq));
        }
        List<ReplayFrame> page = recent.read(2, 3);
        assertThat(page).extracting(ReplayFrame::seq).containsExactly(2L, 3L, 4L);
        assertThat(page)
                .extracting(f -> f.frame().toString(StandardCharsets.US_ASCII))
                .containsExactly("m2", "m3", "m4");
        release(page);
        assertThat(recent.read(0, 10)).as("before the first held").isNull();
        assertThat(recent.read(6, 10)).as("after the last held").isNull();
        recent.clear();
    }

    @Test
    void keepsTheNewestWhenFullAndWrapsAround() {
        RecentFrames recent = new RecentFrames(4, new FrameBudget(1 << 20));
        for (long seq = 1; seq <= 11; seq++) {
            recent.add(seq, frame("m" + seq));
        }
        assertThat(recent.read(7, 10)).isNull();
        List<ReplayFrame> page = recent.read(8, 10);
        assertThat(page).extracting(ReplayFrame::seq).containsExactly(8L, 9L, 10L, 11L);
        release(page);
        recent.clear();
    }

    @Test
    void aSeqThatIsNotTheNextStartsOver() {
        RecentFrames recent = new RecentFrames(8, new FrameBudget(1 << 20));
        recent.add(1, frame("a"));
        recent.add(2, frame("b"));
        recent.add(1, frame("new epoch"));
        assertThat(recent.read(2, 10)).isNull();
        List<ReplayFrame> page = recent.read(1, 10);
        assertThat(page)
                .extracting(f -> f.frame().toString(StandardCharsets.US_ASCII))
                .containsExactly("new epoch");
        release(page);
        recent.clear();
    }

    @Test
    void channelsShareOneBudget() {
        FrameBudget budget = new FrameBudget(10);
        RecentFrames a = new RecentFrames(8, budget);
        RecentFrames b = new RecentFrames(8, budget);
        a.add(1, frame("aaaa"));
        a.add(2, frame("bbbb"));
        b.add(1, frame("cccc")); // no room left, and b holds nothing to evict: not kept
        assertThat(b.read(1, 10)).isNull();
        a.add(3, frame("dddd")); // a makes room from its own oldest
        assertThat(a.read(1, 10)).isNull();
        List<ReplayFrame> page = a.read(2, 10);
        assertThat(page).extracting(ReplayFrame::seq).containsExactly(2L, 3L);
        release(page);
        a.clear();
        assertThat(budget.used()).isZero();
    }

    private ByteBuf frame(String s) {
        ByteBuf b = Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
        added.add(b);
        return b;
    }

    private static void release(List<ReplayFrame> page) {
        page.forEach(f -> f.frame().release());
    }
}
