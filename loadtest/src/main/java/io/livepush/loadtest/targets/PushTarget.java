package io.livepush.loadtest.targets;

import static java.util.Objects.requireNonNull;

import io.livepush.loadtest.engine.LoadEngine;
import io.livepush.loadtest.engine.Publisher;
import io.livepush.loadtest.engine.Receiver;
import io.livepush.loadtest.engine.Sender;
import io.livepush.loadtest.engine.Tokens;
import io.livepush.loadtest.stats.RunStats;
import io.livepush.loadtest.wire.RawFraming;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;

/** Our server, over TCP or WebSocket: the same virtual users, only the pipeline under them differs. */
final class PushTarget implements Target {
    private final TargetKind kind;
    private final String room;
    private final Tokens tokens;

    PushTarget(TargetKind kind, String room, Tokens tokens) {
        if (kind != TargetKind.PUSH_TCP && kind != TargetKind.PUSH_WS) {
            throw new IllegalArgumentException("kind: " + kind + " (expected: push-tcp or push-ws)");
        }
        this.kind = kind;
        this.room = requireNonNull(room, "room");
        this.tokens = requireNonNull(tokens, "tokens");
    }

    @Override
    public TargetKind kind() {
        return kind;
    }

    @Override
    public Receiver subscriber(String user, RunStats stats) {
        return new PushSubscriber(
                user,
                tokens.mint(user),
                room,
                kind == TargetKind.PUSH_TCP ? RawFraming.PUSH_TCP : RawFraming.PUSH_WS,
                stats);
    }

    @Override
    public Sender publisher(String user, int payloadBytes, int maxInFlight, RunStats stats) {
        return new Publisher(user, tokens.mint(user), room, payloadBytes, maxInFlight, stats);
    }

    @Override
    public ChannelFuture connect(LoadEngine engine, int node, ChannelHandler user) {
        if (kind == TargetKind.PUSH_TCP) {
            return engine.connect(node, () -> user);
        }
        return engine.open(node, p -> {
            PushWebSocket.install(p, engine.nodes().get(node), engine.tls());
            p.addLast(user);
        });
    }
}
