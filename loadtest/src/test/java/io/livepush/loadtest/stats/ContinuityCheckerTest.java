package io.livepush.loadtest.stats;

import static io.livepush.loadtest.stats.ContinuityChecker.Verdict.AFTER_HOLE;
import static io.livepush.loadtest.stats.ContinuityChecker.Verdict.DUPLICATE;
import static io.livepush.loadtest.stats.ContinuityChecker.Verdict.IN_ORDER;
import static io.livepush.loadtest.stats.ContinuityChecker.Verdict.OUT_OF_ORDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContinuityCheckerTest {

    @Test
    void inOrderFromTheJoinedSeqIsClean() {
        ContinuityChecker c = new ContinuityChecker(41);
        assertThat(c.accept(42)).isEqualTo(IN_ORDER);
        assertThat(c.accept(43)).isEqualTo(IN_ORDER);
        c.expectUpTo(43);
        assertThat(c.holes()).isZero();
        assertThat(c.duplicates()).isZero();
        assertThat(c.outOfOrder()).isZero();
        assertThat(c.last()).isEqualTo(43);
    }

    @Test
    void skippedSeqsAreHoles() {
        ContinuityChecker c = new ContinuityChecker(0);
        c.accept(1);
        assertThat(c.accept(4)).isEqualTo(AFTER_HOLE);
        assertThat(c.holes()).isEqualTo(2);
        assertThat(c.duplicates()).isZero();
        assertThat(c.outOfOrder()).isZero();
    }

    @Test
    void missingTailIsHoles() {
        ContinuityChecker c = new ContinuityChecker(0);
        c.accept(1);
        c.expectUpTo(5);
        assertThat(c.holes()).isEqualTo(4);
    }

    @Test
    void firstMessageAfterTheJoinedSeqMustBeNext() {
        ContinuityChecker c = new ContinuityChecker(10);
        assertThat(c.accept(12)).isEqualTo(AFTER_HOLE);
        assertThat(c.holes()).isEqualTo(1);
    }

    @Test
    void repeatedSeqIsDuplicate() {
        ContinuityChecker c = new ContinuityChecker(0);
        c.accept(1);
        c.accept(2);
        assertThat(c.accept(2)).isEqualTo(DUPLICATE);
        assertThat(c.accept(1)).isEqualTo(DUPLICATE);
        assertThat(c.duplicates()).isEqualTo(2);
        assertThat(c.holes()).isZero();
        assertThat(c.outOfOrder()).isZero();
    }

    @Test
    void seqAtOrBeforeTheJoinedSeqIsDuplicate() {
        ContinuityChecker c = new ContinuityChecker(5);
        assertThat(c.accept(5)).isEqualTo(DUPLICATE);
        assertThat(c.duplicates()).isEqualTo(1);
    }

    @Test
    void lateSeqFillingAHoleIsOutOfOrder() {
        ContinuityChecker c = new ContinuityChecker(0);
        c.accept(1);
        c.accept(3);
        assertThat(c.accept(2)).isEqualTo(OUT_OF_ORDER);
        assertThat(c.outOfOrder()).isEqualTo(1);
        assertThat(c.holes()).isZero();
        assertThat(c.accept(2)).isEqualTo(DUPLICATE);
        assertThat(c.duplicates()).isEqualTo(1);
    }

    @Test
    void negativeStartIsRejected() {
        assertThatThrownBy(() -> new ContinuityChecker(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
