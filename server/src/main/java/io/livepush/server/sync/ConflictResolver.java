package io.livepush.server.sync;

import static java.util.Objects.requireNonNull;

import io.livepush.proto.v1.ConflictPolicy;
import io.livepush.proto.v1.Item;
import io.livepush.proto.v1.ItemChange;

/**
 * Decides, for one item, between a client's change info and the server's stored item. Pure: no
 * store, no clock.
 *
 * <ul>
 *   <li><b>Changed on the client only</b> (the server item is absent, or its version is at most the
 *       change's {@code base_version}): a deletion is applied ({@link Decision#DELETE}); content equal
 *       to the server's needs nothing ({@link Decision#SAME}); other content is asked for
 *       ({@link Decision#UPLOAD}).
 *   <li><b>Changed on both sides</b> (server version above {@code base_version}): equal fingerprints,
 *       or both deleted, are no conflict ({@link Decision#SAME}). Otherwise the policy decides:
 *       {@code SERVER_WINS} downloads the server item; {@code CLIENT_WINS} uploads (or deletes);
 *       {@code NEWEST_WINS} compares {@code modified_ms}, the later one wins, a tie goes to the server.
 * </ul>
 */
public final class ConflictResolver {
    private ConflictResolver() {}

    /**
     * @param change the client's change info for the item
     * @param server the server's current item (a tombstone when deleted), or null if it never existed
     */
    public static Decision resolve(ItemChange change, Item server, ConflictPolicy policy) {
        requireNonNull(change, "change");
        requireNonNull(policy, "policy");
        if (server == null || server.getVersion() <= change.getBaseVersion()) {
            return clientOnly(change, server);
        }
        if (same(change, server)) {
            return Decision.SAME;
        }
        boolean clientWins = switch (policy) {
            case CLIENT_WINS -> true;
            case NEWEST_WINS -> change.getModifiedMs() > server.getModifiedMs();
            default -> false; // SERVER_WINS, and values a newer client may send
        };
        return clientWins ? clientSide(change) : Decision.DOWNLOAD;
    }

    private static Decision clientOnly(ItemChange change, Item server) {
        boolean serverHasIt = server != null && !server.getDeleted();
        if (change.getDeleted()) {
            return serverHasIt ? Decision.DELETE : Decision.SAME;
        }
        return serverHasIt && server.getFingerprint().equals(change.getFingerprint()) ? Decision.SAME : Decision.UPLOAD;
    }

    private static boolean same(ItemChange change, Item server) {
        if (change.getDeleted() || server.getDeleted()) {
            return change.getDeleted() && server.getDeleted();
        }
        return change.getFingerprint().equals(server.getFingerprint());
    }

    private static Decision clientSide(ItemChange change) {
        return change.getDeleted() ? Decision.DELETE : Decision.UPLOAD;
    }
}
