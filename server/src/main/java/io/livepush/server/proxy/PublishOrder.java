package io.livepush.server.proxy;

import java.util.ArrayDeque;

/**
 * Keeps a connection's proxied publishes in the order it sent them: each takes a slot when it is sent to
 * the backend, and what follows its answer (store, or refuse) runs only once every earlier slot has run,
 * whatever order the backend answers in. The calls themselves still overlap. Confined to the connection's
 * event loop; bounded by the requests a connection may have in flight (see {@code RequestGate}).
 */
final class PublishOrder {
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    Slot enter() {
        Slot slot = new Slot();
        slots.add(slot);
        return slot;
    }

    private void drain() {
        while (!slots.isEmpty() && slots.peek().then != null) {
            slots.poll().then.run();
        }
    }

    /** One publish's place in the order. */
    final class Slot {
        private Runnable then;

        /** Runs {@code then} in this slot's turn: now, or after the earlier slots complete. */
        void complete(Runnable then) {
            this.then = then;
            drain();
        }
    }
}
