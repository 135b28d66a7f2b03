package io.livepush.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishOrderTest {
    private final PublishOrder order = new PublishOrder();
    private final List<String> ran = new ArrayList<>();

    @Test
    void laterAnswerWaitsForTheEarlierOne() {
        PublishOrder.Slot first = order.enter();
        PublishOrder.Slot second = order.enter();
        PublishOrder.Slot third = order.enter();

        second.complete(() -> ran.add("second"));
        assertThat(ran).isEmpty();
        third.complete(() -> ran.add("third"));
        assertThat(ran).isEmpty();
        first.complete(() -> ran.add("first"));

        assertThat(ran).containsExactly("first", "second", "third");
    }

    @Test
    void answerInOrderRunsAtOnce() {
        PublishOrder.Slot first = order.enter();
        first.complete(() -> ran.add("first"));
        assertThat(ran).containsExactly("first");

        PublishOrder.Slot second = order.enter();
        PublishOrder.Slot third = order.enter();
        third.complete(() -> ran.add("third"));
        second.complete(() -> ran.add("second"));
        assertThat(ran).containsExactly("first", "second", "third");
    }
}
