package io.livepush.server.applet;

/** An applet update named an {@code expected_version} that is no longer the applet's version. */
public final class VersionConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long currentVersion;

    public VersionConflictException(String room, String appletId, long expectedVersion, long currentVersion) {
        super(
                "applet " + appletId + " of " + room + " is at version " + currentVersion + ", not " + expectedVersion,
                null,
                false,
                false);
        this.currentVersion = currentVersion;
    }

    public long currentVersion() {
        return currentVersion;
    }
}
