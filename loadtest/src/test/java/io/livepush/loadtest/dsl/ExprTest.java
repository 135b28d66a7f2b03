package io.livepush.loadtest.dsl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExprTest {

    @Test
    void unclosedPlaceholderIsRefused() {
        assertThatThrownBy(() -> Expr.of("room.#{room"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'}'");
    }
}
