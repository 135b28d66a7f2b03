package io.livepush.loadtest.dsl;

import static io.livepush.loadtest.dsl.Injection.atOnceUsers;
import static io.livepush.loadtest.dsl.Injection.rampUsers;
import static io.livepush.loadtest.dsl.Scenario.scenario;
import static org.assertj.core.api.Assertions.assertThat;

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
}
