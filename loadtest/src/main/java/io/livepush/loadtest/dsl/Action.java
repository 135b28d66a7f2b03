package io.livepush.loadtest.dsl;

/**
 * One step of what a virtual user does ({@link Actions} makes them). It runs on the user's event loop
 * and must never block it: it starts its work and calls {@code next} (on the session's loop) when that
 * work is done, or {@link Session#fail(Throwable)} to end the user's script.
 */
@FunctionalInterface
public interface Action {
    void execute(Session session, Runnable next);
}
