package io.livepush.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

    @Test
    void doubleStarMatchesAtAnyDepthIncludingTheRoot() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("**/target"));

        assertThat(ignore.excludes("target/classes/A.class")).isTrue();
        assertThat(ignore.excludes("server/target/push-server.jar")).isTrue();
        assertThat(ignore.excludes("server/src/main/java/target.txt")).isFalse();
    }

    @Test
    void singleStarStaysWithinOnePathElement() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("*/data", "*.iml"));

        assertThat(ignore.excludes("server/data/messages.dat")).isTrue();
        assertThat(ignore.excludes("server/src/data/X.java")).isFalse();
        assertThat(ignore.excludes("livepush.iml")).isTrue();
        assertThat(ignore.excludes("server/server.iml")).isFalse();
    }

    @Test
    void laterNegationIncludesAgainAndCommentsAndLeadingSlashesAreIgnored() {
        DockerIgnore ignore = DockerIgnore.parse(List.of("# docs", "/docs", "!docs/keep.md"));

        assertThat(ignore.excludes("docs/benchmarks.md")).isTrue();
        assertThat(ignore.excludes("docs/keep.md")).isFalse();
        assertThat(ignore.excludes("# docs")).isFalse();
    }
}
