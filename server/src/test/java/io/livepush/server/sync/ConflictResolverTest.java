package io.livepush.server.sync;

import static io.livepush.proto.v1.ConflictPolicy.CLIENT_WINS;
import static io.livepush.proto.v1.ConflictPolicy.NEWEST_WINS;
import static io.livepush.proto.v1.ConflictPolicy.SERVER_WINS;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.livepush.proto.v1.ConflictPolicy;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConflictResolverTest {
    private static final ByteString A = fp("a");
    private static final ByteString B = fp("b");

    @ParameterizedTest
    @EnumSource(ConflictPolicy.class)
    void clientOnlyEditOfAnUnknownItemIsUploaded(ConflictPolicy policy) {
        assertThat(ConflictResolver.resolve(change("x", A, 0), null, policy)).isEqualTo(Decision.UPLOAD);
    }

    @ParameterizedTest
    @EnumSource(ConflictPolicy.class)
    void clientOnlyEditIsUploadedWhateverThePolicy(ConflictPolicy policy) {
        assertThat(ConflictResolver.resolve(change("x", B, 3), server("x", A, 3), policy))
                .isEqualTo(Decision.UPLOAD);
    }

    @ParameterizedTest
    @EnumSource(ConflictPolicy.class)
    void clientOnlyDeletionIsApplied(ConflictPolicy policy) {
        assertThat(ConflictResolver.resolve(deletion("x", 3), server("x", A, 3), policy))
                .isEqualTo(Decision.DELETE);
    }

    @ParameterizedTest
    @EnumSource(ConflictPolicy.class)
    void deletingWhatTheServerNeverHadOrAlreadyDeletedIsNothing(ConflictPolicy policy) {
        assertThat(ConflictResolver.resolve(deletion("x", 0), null, policy)).isEqualTo(Decision.SAME);
        assertThat(ConflictResolver.resolve(deletion("x", 2), tombstone("x", 5), policy))
                .isEqualTo(Decision.SAME);
    }

    @ParameterizedTest
    @EnumSource(ConflictPolicy.class)
    void equalFingerprintsAreNeverAConflict(ConflictPolicy policy) {
        assertThat(ConflictResolver.resolve(change("x", A, 1), server("x", A, 7), policy))
                .isEqualTo(Decision.SAME);
        assertThat(ConflictResolver.resolve(change("x", A, 7), server("x", A, 7), policy))
                .isEqualTo(Decision.SAME);
    }

    @ParameterizedTest
    @EnumSource(ConflictPolicy.class)
    void recreatingAnItemDeletedBeforeTheBaseIsUploaded(ConflictPolicy policy) {
        assertThat(ConflictResolver.resolve(change("x", A, 4), tombstone("x", 4), policy))
                .isEqualTo(Decision.UPLOAD);
    }

    @Test
    void serverWinsDownloadsTheServerSide() {
        assertThat(ConflictResolver.resolve(change("x", B, 1), server("x", A, 2), SERVER_WINS))
                .isEqualTo(Decision.DOWNLOAD);
        assertThat(ConflictResolver.resolve(deletion("x", 1), server("x", A, 2), SERVER_WINS))
                .isEqualTo(Decision.DOWNLOAD);
        assertThat(ConflictResolver.resolve(change("x", B, 1), tombstone("x", 2), SERVER_WINS))
                .isEqualTo(Decision.DOWNLOAD);
    }

    @Test
    void clientWinsUploadsOrDeletes() {
        assertThat(ConflictResolver.resolve(change("x", B, 1), server("x", A, 2), CLIENT_WINS))
                .isEqualTo(Decision.UPLOAD);
        assertThat(ConflictResolver.resolve(deletion("x", 1), server("x", A, 2), CLIENT_WINS))
                .isEqualTo(Decision.DELETE);
        assertThat(ConflictResolver.resolve(change("x", B, 1), tombstone("x", 2), CLIENT_WINS))
                .isEqualTo(Decision.UPLOAD);
    }

    @Test
    void newestWinsComparesModificationTimesAndTiesGoToTheServer() {
        Item server = server("x", A, 2).toBuilder().setModifiedMs(1000).build();
        assertThat(ConflictResolver.resolve(
                        change("x", B, 1).toBuilder().setModifiedMs(1001).build(), server, NEWEST_WINS))
                .isEqualTo(Decision.UPLOAD);
        assertThat(ConflictResolver.resolve(
                        change("x", B, 1).toBuilder().setModifiedMs(999).build(), server, NEWEST_WINS))
                .isEqualTo(Decision.DOWNLOAD);
        assertThat(ConflictResolver.resolve(
                        change("x", B, 1).toBuilder().setModifiedMs(1000).build(), server, NEWEST_WINS))
                .isEqualTo(Decision.DOWNLOAD);
        assertThat(ConflictResolver.resolve(
                        deletion("x", 1).toBuilder().setModifiedMs(2000).build(), server, NEWEST_WINS))
                .isEqualTo(Decision.DELETE);
    }

    static ByteString fp(String content) {
        return Fingerprints.of(ByteString.copyFrom(content, StandardCharsets.UTF_8));
    }

    private static ItemChange change(String id, ByteString fingerprint, long base) {
        return ItemChange.newBuilder()
                .setItemId(id)
                .setFingerprint(fingerprint)
                .setBaseVersion(base)
                .build();
    }

    private static ItemChange deletion(String id, long base) {
        return ItemChange.newBuilder()
                .setItemId(id)
                .setBaseVersion(base)
                .setDeleted(true)
                .build();
    }

    private static Item server(String id, ByteString fingerprint, long version) {
        return Item.newBuilder()
                .setItemId(id)
                .setFingerprint(fingerprint)
                .setVersion(version)
                .build();
    }

    private static Item tombstone(String id, long version) {
        return Item.newBuilder()
                .setItemId(id)
                .setVersion(version)
                .setDeleted(true)
                .build();
    }
}
