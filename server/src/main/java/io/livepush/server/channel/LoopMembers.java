package io.livepush.server.channel;

import io.netty.channel.EventLoop;
import java.util.Arrays;

/**
 * A channel's members that live on one event loop. The array is copy-on-write: the home replaces it
 * on join and leave, and a delivery task keeps the snapshot it was given, so fan-out reads members
 * without any lock.
 */
final class LoopMembers {
    private static final Subscription[] NONE = new Subscription[0];

    final EventLoop loop;
    final LoopFlusher flusher;
    private Subscription[] members = NONE;

    LoopMembers(EventLoop loop, LoopFlusher flusher) {
        this.loop = loop;
        this.flusher = flusher;
    }

    Subscription[] snapshot() {
        return members;
    }

    boolean isEmpty() {
        return members.length == 0;
    }

    void add(Subscription s) {
        Subscription[] next = Arrays.copyOf(members, members.length + 1);
        next[members.length] = s;
        members = next;
    }

    boolean remove(Subscription s) {
        for (int i = 0; i < members.length; i++) {
            if (members[i] == s) {
                Subscription[] next = new Subscription[members.length - 1];
                System.arraycopy(members, 0, next, 0, i);
                System.arraycopy(members, i + 1, next, i, members.length - i - 1);
                members = next;
                return true;
            }
        }
        return false;
    }
}
