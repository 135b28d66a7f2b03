package io.livepush.client;

/** Where a {@link PushClient}'s connection stands. */
public enum ConnectionState {
    /** Opening a connection or waiting for {@code Connected}. */
    CONNECTING,
    /** A session is established: requests flow. */
    CONNECTED,
    /** The connection was lost; a reconnect is scheduled (with backoff). */
    DISCONNECTED,
    /** {@link PushClient#close()} was called, or the server refused the credentials for good. */
    CLOSED
}
