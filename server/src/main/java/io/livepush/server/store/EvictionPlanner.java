package io.livepush.server.store;

import io.livepush.server.store.MessageLog.Victim;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Picks the channels to evict when the store is over capacity: whole channels, least recently
 * published first, until both the channels and the messages are back under the low-water mark.
 *
 * <p>Two scans of the channel table instead of holding it on the heap: the first keeps only each
 * channel's age and message count in primitive arrays (16 bytes a channel) and finds the age cut;
 * the second collects the names older than it.
 */
final class EvictionPlanner {
    /** Eviction brings each count down to this share of its capacity, so it runs in batches, not per publish. */
    static final double LOW_WATER = 0.9;

    private static final int INDEX_BITS = 24;
    private static final long MAX_AGE_MS = (1L << (63 - INDEX_BITS)) - 1;

    private EvictionPlanner() {}

    static List<Victim> plan(
            ChannelTable table,
            Predicate<String> spared,
            long messages,
            long maxMessages,
            long maxChannels,
            long nowMs) {
        long channels = table.count();
        long messagesToFree = Math.max(0, messages - (long) (maxMessages * LOW_WATER));
        long channelsToFree = Math.max(0, channels - (long) (maxChannels * LOW_WATER));
        if (messages <= maxMessages && channels <= maxChannels) {
            return List.of();
        }
        int capacity = (int) Math.min(channels + 1024, 1 << INDEX_BITS);
        long[] keys = new long[capacity];
        long[] kept = new long[capacity];
        int[] n = {0};
        table.forEach((channel, meta) -> {
            int i = n[0];
            if (i < capacity && !spared.test(channel)) {
                long age = Math.min(MAX_AGE_MS, Math.max(0, nowMs - meta.lastPublishMs()));
                keys[i] = age << INDEX_BITS | i;
                kept[i] = Math.max(0, meta.kept());
                n[0]++;
            }
        });
        long[] byAge = Arrays.copyOf(keys, n[0]);
        Arrays.sort(byAge); // youngest first: walk from the end
        long freedMessages = 0;
        long freedChannels = 0;
        long cutAge = Long.MAX_VALUE;
        for (int j = byAge.length - 1;
                j >= 0 && (freedMessages < messagesToFree || freedChannels < channelsToFree);
                j--) {
            int i = (int) (byAge[j] & ((1 << INDEX_BITS) - 1));
            freedMessages += kept[i];
            freedChannels++;
            cutAge = byAge[j] >>> INDEX_BITS;
        }
        long cut = cutAge;
        List<Victim> victims = new ArrayList<>((int) Math.min(freedChannels, Integer.MAX_VALUE));
        table.forEach((channel, meta) -> {
            if (Math.min(MAX_AGE_MS, Math.max(0, nowMs - meta.lastPublishMs())) >= cut && !spared.test(channel)) {
                victims.add(new Victim(channel, meta));
            }
        });
        return victims;
    }
}
