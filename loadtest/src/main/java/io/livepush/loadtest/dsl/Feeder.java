package io.livepush.loadtest.dsl;

import java.util.Map;

/**
 * Values for one virtual user (its id, its room …), taken once when the user is created; actions read
 * them with {@link Session#get(String)} or {@code #{key}} in an {@link Expr}. {@link Feeders} makes them.
 * Called from the thread that launches the scenario only.
 */
@FunctionalInterface
public interface Feeder {
    Map<String, String> next();
}
