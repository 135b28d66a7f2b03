package io.livepush.client;

import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ServerFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** One request of the client: queued while disconnected, in flight under an id, answered by reply_to. */
final class Pending {
    final Supplier<ClientFrame.Builder> frame;
    final String what;
    /** Sent again after a reconnect if its answer was lost (publish: same idempotency key). */
    final boolean resend;

    final CompletableFuture<ServerFrame> future = new CompletableFuture<>();
    /** Built when first sent, so a resume position is the one current then; reused on resend. */
    ClientFrame.Builder built;

    ScheduledFuture<?> timeout;
    int id;

    Pending(Supplier<ClientFrame.Builder> frame, String what, boolean resend) {
        this.frame = frame;
        this.what = what;
        this.resend = resend;
    }
}
