package io.livepush.server.sync;

import io.livepush.proto.v1.ItemChange;
import java.util.List;

/**
 * What a sync or upload produced: the answer for the requester, or the id of the item whose content
 * did not match its fingerprint (then nothing was stored), and the stored changes to push to the
 * user's other devices.
 *
 * @param <R> the answer message
 */
public record SyncOutcome<R>(R answer, String badFingerprintId, List<ItemChange> changed) {
    static <R> SyncOutcome<R> badFingerprint(String itemId) {
        return new SyncOutcome<>(null, itemId, List.of());
    }
}
