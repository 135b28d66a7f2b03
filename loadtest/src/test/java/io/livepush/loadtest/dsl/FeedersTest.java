package io.livepush.loadtest.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedersTest {

    @Test
    void sequenceNumbersUsersFromZero() {
        Feeder f = Feeders.sequence("user", "lt-user-%d");
        assertThat(List.of(f.next(), f.next(), f.next()))
                .containsExactly(Map.of("user", "lt-user-0"), Map.of("user", "lt-user-1"), Map.of("user", "lt-user-2"));
    }

    @Test
    void circularDealsValuesRoundRobin() {
        Feeder f = Feeders.circular("room", List.of("a", "b"));
        assertThat(List.of(f.next(), f.next(), f.next()))
                .containsExactly(Map.of("room", "a"), Map.of("room", "b"), Map.of("room", "a"));
    }

    @Test
    void csvRowsAreKeyedByTheHeaderAndStartOver(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("users.csv");
        Files.writeString(file, "user,room\nalice,room.1\n\nbob, room.2\n");
        Feeder f = Feeders.csv(file);
        assertThat(List.of(f.next(), f.next(), f.next()))
                .containsExactly(
                        Map.of("user", "alice", "room", "room.1"),
                        Map.of("user", "bob", "room", "room.2"),
                        Map.of("user", "alice", "room", "room.1"));
    }

    @Test
    void csvWithARaggedRowIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "user,room\nalice\n");
        assertThatThrownBy(() -> Feeders.csv(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 cells (expected: 2)");
    }

    @Test
    void badFormatFailsAtOnce() {
        assertThatThrownBy(() -> Feeders.sequence("user", "u%q")).isInstanceOf(IllegalArgumentException.class);
    }
}
