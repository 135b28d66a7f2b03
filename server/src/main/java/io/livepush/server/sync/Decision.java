package io.livepush.server.sync;

/** What one client change in a {@code DataSync} leads to. See {@link ConflictResolver}. */
public enum Decision {
    /** Both sides agree (equal fingerprints, or both deleted): no content moves; the client learns the version. */
    SAME,
    /** The client's content wins: its id goes to {@code upload_ids}. */
    UPLOAD,
    /** The client's deletion wins: the server stores a tombstone now. */
    DELETE,
    /** The server's item wins: it goes to {@code download}. */
    DOWNLOAD
}
