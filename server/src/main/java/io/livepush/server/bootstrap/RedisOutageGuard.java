package io.livepush.server.bootstrap;

import io.livepush.proto.v1.GoAway;
import io.livepush.proto.v1.ServerFrame;
import io.livepush.server.metrics.CloseReason;
import io.livepush.server.session.ConnectionDeadlines;
import io.netty.channel.ChannelFutureListener;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node that cannot reach Redis delivers nothing: readiness says so at once (the load balancer
 * stops sending new clients), and once that has lasted the grace period the clients it still holds are
 * sent away, with jitter, to resume on a node that can (PROTOCOL.md "Cluster" 5). A short blip costs no
 * reconnects. Checked every second; sends them away once per outage.
 */
final class RedisOutageGuard implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(RedisOutageGuard.class);

    private final BooleanSupplier reachable;
    private final ConnectionDeadlines connections;
    private final long graceMs;
    private final LongSupplier clock;
    private long unreachableSinceMs = -1;
    private boolean sentAway;

    RedisOutageGuard(BooleanSupplier reachable, ConnectionDeadlines connections, long graceMs, LongSupplier clock) {
        this.reachable = reachable;
        this.connections = connections;
        this.graceMs = graceMs;
        this.clock = clock;
    }

    @Override
    public void run() {
        long now = clock.getAsLong();
        if (reachable.getAsBoolean()) {
            if (unreachableSinceMs >= 0) {
                log.info("Redis is reachable again after {} ms", now - unreachableSinceMs);
            }
            unreachableSinceMs = -1;
            sentAway = false;
            return;
        }
        if (unreachableSinceMs < 0) {
            unreachableSinceMs = now;
            log.warn("Redis is unreachable: not ready; clients are sent away after {} ms", graceMs);
        } else if (!sentAway && now - unreachableSinceMs >= graceMs) {
            sentAway = true;
            long unreachableMs = now - unreachableSinceMs;
            connections
                    .forEachOpen(ch -> {
                        ServerFrame goAway = ServerFrame.newBuilder()
                                .setGoAway(GoAway.newBuilder()
                                        .setReason("this node lost its Redis: resume on another node")
                                        .setReconnectAfterMs(
                                                ThreadLocalRandom.current().nextInt(500, 3000)))
                                .build();
                        CloseReason.REDIS_UNREACHABLE.markOn(ch);
                        ch.writeAndFlush(goAway).addListener(ChannelFutureListener.CLOSE);
                    })
                    .thenAccept(n ->
                            log.warn("Redis unreachable for {} ms: sent {} clients to other nodes", unreachableMs, n));
        }
    }
}
