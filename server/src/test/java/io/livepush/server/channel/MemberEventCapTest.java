package io.livepush.server.channel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MemberEventCapTest {
    @Test
    void tenEventsPerSecondPassAndTheRestAreCountedForTheNextOne() {
        MemberEventCap cap = new MemberEventCap();
        int sent = 0;
        for (int i = 0; i < 25; i++) {
            if (cap.tryAcquire(1_000 + i)) {
                sent++;
                assertThat(cap.takeSkipped()).isZero();
            }
        }
        assertThat(sent).isEqualTo(MemberEventCap.PER_SECOND);

        assertThat(cap.tryAcquire(2_000)).as("a new second").isTrue();
        assertThat(cap.takeSkipped()).as("the dropped ones, told once").isEqualTo(15);
        assertThat(cap.takeSkipped()).isZero();
    }
}
