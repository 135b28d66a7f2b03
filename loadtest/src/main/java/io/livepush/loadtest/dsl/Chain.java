package io.livepush.loadtest.dsl;

import java.util.List;

/** Runs actions one after the other, each starting when the one before calls its {@code next}. */
final class Chain {
    private Chain() {}

    static void run(Session session, List<Action> actions, Runnable then) {
        step(session, actions, 0, then);
    }

    private static void step(Session session, List<Action> actions, int i, Runnable then) {
        if (session.failed()) {
            return;
        }
        if (i == actions.size()) {
            then.run();
            return;
        }
        try {
            actions.get(i).execute(session, () -> step(session, actions, i + 1, then));
        } catch (RuntimeException e) {
            session.fail(e);
        }
    }
}
