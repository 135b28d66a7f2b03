package io.livepush.server.sync;

/**
 * What a sync or upload produced: the answer for the requester, or the id of the item whose content did not
 * match its fingerprint (then nothing was stored). The user's other connections were told of what was stored
 * by the commit itself ({@link Spaces#commit}).
 *
 * @param <R> the answer message
 */
public record SyncOutcome<R>(R answer, String badFingerprintId) {
    static <R> SyncOutcome<R> badFingerprint(String itemId) {
        return new SyncOutcome<>(null, itemId);
    }
}
