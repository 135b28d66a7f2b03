package io.livepush.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyRingTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String OLD_SECRET = "fedcba9876543210fedcba9876543210";

    @Test
    void primarySecretGetsKeyIdK1ByDefault() {
        KeyRing ring = KeyRing.of(SECRET, Map.of("k0", OLD_SECRET));

        assertThat(ring.primaryKid()).isEqualTo("k1");
        assertThat(ring.kids()).containsExactlyInAnyOrder("k0", "k1");
    }

    @Test
    void secretShorterThan32BytesIsRefusedWithoutShowingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyRing.of("short-secret", Map.of()))
                .withMessage("secret of kid k1: 12 bytes (expected: >= 32)");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyRing.of(SECRET, Map.of("k0", "x".repeat(31))))
                .withMessageContaining("kid k0: 31 bytes");
    }

    @Test
    void lengthCountsUtf8Bytes() {
        // 16 two-byte characters = 32 bytes.
        assertThat(KeyRing.of("é".repeat(16), Map.of()).kids()).containsExactly("k1");
    }

    @Test
    void otherKeysMustNotReuseThePrimaryKeyId() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> KeyRing.of("k2", SECRET, Map.of("k2", OLD_SECRET)))
                .withMessage("kid: k2 (expected: not the primary key id)");
    }

    @Test
    void primaryKeyIdMustBeInTheRing() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new KeyRing("k9", Map.of("k1", SECRET)))
                .withMessageStartingWith("primaryKid: k9");
    }
}
