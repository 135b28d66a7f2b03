package io.livepush.client;

import io.livepush.proto.v1.Background;
import io.livepush.proto.v1.ClientFrame;
import io.livepush.proto.v1.ErrorCode;
import io.livepush.proto.v1.JoinRoom;
import io.livepush.proto.v1.Position;
import io.livepush.proto.v1.Subscribe;
import io.netty.channel.Channel;
import java.util.function.Supplier;

/**
 * Restores what the client follows on a new session: joins the room again and re-subscribes, each
 * with {@code since} = its last delivered position, so the server resumes instead of starting over;
 * then background mode, if the application is in it.
 * Whether it could ({@code recovered=false} means a reset) is handled by the trackers on the answer.
 * Touched on the client's loop only.
 */
final class SessionRestorer {
    private final Channels channels;
    private final Requests requests;
    private final PushListener listener;
    private final Supplier<Channel> channel;
    private boolean background;

    SessionRestorer(Channels channels, Requests requests, PushListener listener, Supplier<Channel> channel) {
        this.channels = channels;
        this.requests = requests;
        this.listener = listener;
        this.channel = channel;
    }

    /** Whether the application is in background mode ({@link PushClient#background()}). */
    void background(boolean on) {
        background = on;
    }

    /** Joins the room again and re-subscribes, each from its last delivered position. */
    void restore() {
        String room = channels.room();
        if (room != null) {
            // The frame is built when sent, so since is the position current then.
            Pending p = new Pending(
                    () -> ClientFrame.newBuilder()
                            .setJoin(withSince(JoinRoom.newBuilder().setRoom(room), room)),
                    "rejoin " + room,
                    false);
            requests.submit(p);
            p.future.whenComplete((f, err) -> failed(room, err));
        }
        for (String s : channels.subscriptions()) {
            Pending p = new Pending(
                    () -> {
                        Subscribe.Builder b = Subscribe.newBuilder().setChannel(s);
                        Position since = channels.since(s);
                        if (since != null) {
                            b.setSince(since);
                        }
                        return ClientFrame.newBuilder().setSubscribe(b);
                    },
                    "resubscribe " + s,
                    false);
            requests.submit(p);
            p.future.whenComplete((f, err) -> failed(s, err));
        }
        if (background) {
            // After the restores: joining and subscribing need the foreground.
            Pending p = new Pending(
                    () -> ClientFrame.newBuilder().setBackground(Background.getDefaultInstance()),
                    "background again",
                    false);
            requests.submit(p);
            p.future.whenComplete((f, err) -> {
                if (err != null) {
                    listener.onError(err);
                }
            });
        }
    }

    private JoinRoom.Builder withSince(JoinRoom.Builder b, String room) {
        Position since = channels.since(room);
        return since == null ? b : b.setSince(since);
    }

    private void failed(String channelName, Throwable err) {
        if (err == null) {
            return;
        }
        listener.onError(err);
        if (err instanceof PushException pe && pe.code() != ErrorCode.UNKNOWN) {
            // Refused now (e.g. FORBIDDEN): the client no longer follows it.
            channels.forget(channelName);
        } else {
            Channel ch = channel.get();
            if (ch != null) {
                ch.close(); // try again on a fresh connection
            }
        }
    }
}
