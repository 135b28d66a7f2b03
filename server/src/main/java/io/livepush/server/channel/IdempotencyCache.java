package io.livepush.server.channel;

import io.livepush.proto.v1.PublishAck;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The acks of one channel's recent publishes by idempotency key, so a retried publish is answered
 * with the first one's ack instead of being stored again. Bounded in time and in size; home-thread only.
 */
final class IdempotencyCache {
    private record Entry(PublishAck ack, long expiresAtMs) {}

    private final long windowMs;
    private final int maxEntries;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    IdempotencyCache(long windowMs, int maxEntries) {
        this.windowMs = windowMs;
        this.maxEntries = maxEntries;
    }

    PublishAck find(String key, long nowMs) {
        evictExpired(nowMs);
        Entry e = entries.get(key);
        return e == null ? null : e.ack();
    }

    void remember(String key, PublishAck ack, long nowMs) {
        entries.put(key, new Entry(ack, nowMs + windowMs));
        if (entries.size() > maxEntries) {
            Iterator<String> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** True once every key remembered has expired: the channel's state may go without losing one. */
    boolean isEmpty(long nowMs) {
        evictExpired(nowMs);
        return entries.isEmpty();
    }

    private void evictExpired(long nowMs) {
        // Insertion order is expiry order: stop at the first live entry.
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().expiresAtMs() <= nowMs) {
            it.remove();
        }
    }
}
