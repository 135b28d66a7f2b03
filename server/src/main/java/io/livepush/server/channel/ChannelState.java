package io.livepush.server.channel;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.List;

/** One channel's live state. Touched only by the channel's home thread, except its mailbox. */
final class ChannelState {
    final String name;
    final IdempotencyCache idempotency;
    private final LoopFlushers flushers;
    final RecentFrames recent;
    final ChannelMailbox mailbox;
    private final List<LoopMembers> groups = new ArrayList<>(4);
    private int roomMembers;
    private int subscribers;

    ChannelState(String name, IdempotencyCache idempotency, LoopFlushers flushers, RecentFrames recent,
                 ChannelMailbox mailbox) {
        this.name = name;
        this.idempotency = idempotency;
        this.flushers = flushers;
        this.recent = recent;
        this.mailbox = mailbox;
    }

    List<LoopMembers> groups() {
        return groups;
    }

    int roomMembers() {
        return roomMembers;
    }

    int subscribers() {
        return subscribers;
    }

    void add(Subscription s) {
        groupOf(s.connection().eventLoop()).add(s);
        if (s.isRoom()) {
            roomMembers++;
        } else {
            subscribers++;
        }
    }

    void remove(Subscription s) {
        EventLoop loop = s.connection().eventLoop();
        for (int i = 0; i < groups.size(); i++) {
            LoopMembers g = groups.get(i);
            if (g.loop == loop && g.remove(s)) {
                if (g.isEmpty()) {
                    groups.remove(i);
                }
                if (s.isRoom()) {
                    roomMembers--;
                } else {
                    subscribers--;
                }
                return;
            }
        }
    }

    private LoopMembers groupOf(EventLoop loop) {
        for (LoopMembers g : groups) {
            if (g.loop == loop) {
                return g;
            }
        }
        LoopMembers g = new LoopMembers(loop, flushers.of(loop));
        groups.add(g);
        return g;
    }
}
