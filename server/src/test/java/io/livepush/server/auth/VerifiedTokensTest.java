package io.livepush.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
    private static TokenClaims claims(String sub) {
        return new TokenClaims(sub, 1_000L, 0, List.of(), "", Set.of());
    }

    @Test
    void knowsWhatWasPut() {
        VerifiedTokens tokens = new VerifiedTokens(10);
        tokens.put("a.b.c", claims("alice"));
        assertThat(tokens.get("a.b.c").subject()).isEqualTo("alice");
        assertThat(tokens.get("x.y.z")).isNull();
    }

    @Test
    void startsOverWhenFull() {
        VerifiedTokens tokens = new VerifiedTokens(2);
        tokens.put("t1", claims("a"));
        tokens.put("t2", claims("b"));
        tokens.put("t3", claims("c"));
        assertThat(tokens.get("t1")).isNull();
        assertThat(tokens.get("t2")).isNull();
        assertThat(tokens.get("t3").subject()).isEqualTo("c");
    }
}
