package io.livepush.loadtest.dsl;

import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.constantUsersPerSec;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void atOnceThenRampRunOneAfterTheOther() {
        Scenario s = scenario("fanout").inject(atOnceUsers(2), rampUsers(4).during(Duration.ofSeconds(2)));
        assertThat(s.name()).isEqualTo("fanout");
        assertThat(s.users()).isEqualTo(6);
        long half = Duration.ofMillis(500).toNanos();
        assertThat(s.startOffsetsNanos()).containsExactly(0, 0, 0, half, 2 * half, 3 * half);
    }

    @Test
    void rampWithoutDurationStartsAtOnce() {
        assertThat(scenario("x").inject(rampUsers(3)).startOffsetsNanos()).containsExactly(0, 0, 0);
    }

    @Test
    void constantRateStartsRateUsersEverySecondEvenlySpaced() {
        Scenario s = scenario("x").inject(constantUsersPerSec(4).during(Duration.ofMillis(1500)), atOnceUsers(1));
        long quarter = Duration.ofMillis(250).toNanos();
        assertThat(s.users()).isEqualTo(7);
        assertThat(s.startOffsetsNanos())
                .containsExactly(0, quarter, 2 * quarter, 3 * quarter, 4 * quarter, 5 * quarter, 6 * quarter);
        assertThat(s.lastOffsetNanos()).isEqualTo(6 * quarter);
    }

    @Test
    void constantRateWithoutDurationStartsNobody() {
        assertThat(constantUsersPerSec(100).users()).isZero();
        assertThatThrownBy(() -> constantUsersPerSec(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate: 0.0");
    }

    @Test
    void buildingAScriptLeavesTheOriginalUnchanged() {
        Scenario base = scenario("x").inject(atOnceUsers(1));
        Scenario more = base.feed(Feeders.sequence("user", "u%d")).exec(Actions.connect());
        assertThat(base.users()).isEqualTo(more.users()).isEqualTo(1);
        assertThat(more).isNotSameAs(base);
    }
}
