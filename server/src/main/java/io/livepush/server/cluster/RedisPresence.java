package io.livepush.server.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.lettuce.core.Range;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.livepush.server.channel.ClusterPresence;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across the cluster (PROTOCOL.md, Cluster 3): each node keeps its own counts per channel in Redis, and
 * {@link #others} sums those of the other live nodes. A node that dies stops renewing its heartbeat and its hash:
 * readers ignore it once its heartbeat is older than the TTL, and Redis expires its hash.
 *
 * <pre>
 * push:nodes                     sorted set: member nodeId, score = its last heartbeat (epoch ms, its own clock)
 * push:node:{n1}:presence        hash: field = channel, value = "&lt;roomMembers&gt;:&lt;subscribers&gt;" (decimal,
 *                                UTF-8); no field while both are 0; TTL 25 s, renewed every 5 s and by each flush
 * push:node:{n1}:presence:next   the same hash being rewritten whole, then renamed over it
 * </pre>
 *
 * <p>Every command touches one key, or two under one hash tag (RENAME), as Redis Cluster requires. Readers compare
 * heartbeats with their own clock, so clocks may disagree by a few seconds, not by the TTL. A dead node stops being
 * counted 20 to 25 s after its last heartbeat, and reads are cached for a second: within the 30 s PROTOCOL.md allows.
 *
 * <p>Every command leaves from the scheduler's thread (give it the node's {@link CommandIssuer} thread): Lettuce may
 * make a writer wait while it reconnects, and callers are channels' homes.
 *
 * <p>{@link #changed} only records the channel as dirty; every 200 ms one task writes all dirty channels (HSET and
 * HDEL of up to 1,000 fields each, then PEXPIRE). The dirty set is bounded: past its bound, a write that fails, or
 * a heartbeat that finds the hash gone (expired while Redis was away, or Redis restarted) make the next flush
 * rewrite the whole hash from this node's counts instead, so the last value of a channel is never lost. Errors are
 * logged at most every 10 s, never thrown at callers.
 */
public final class RedisPresence implements ClusterPresence, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

    static final String NODES = "push:nodes";
    private static final Duration TTL = Duration.ofSeconds(25);
    private static final Duration HEARTBEAT = Duration.ofSeconds(5);
    private static final int MAX_DIRTY = 100_000;
    private static final long FLUSH_PERIOD_MS = 200;
    private static final int FIELDS_PER_COMMAND = 1_000;
    private static final long CACHE_MS = 1_000;
    private static final int MAX_CACHED = 10_000;
    private static final long REWRITE_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

    /**
     * A read and when it started; a read in flight is shared, a failed one is read again.
     *
     * @param previous the value the read before this one got, while this one is in flight or failed (may be null)
     */
    private record Timed<T>(long startedMs, CompletableFuture<T> value, T previous) {
        boolean fresh(long nowMs) {
            return !value.isDone() || (!value.isCompletedExceptionally() && nowMs - startedMs < CACHE_MS);
        }

        /** The newest value known: this read's once it succeeded, else the one before. */
        T newest() {
            return value.isDone() && !value.isCompletedExceptionally() ? value.getNow(previous) : previous;
        }

        static <T> Timed<T> after(Timed<T> last, long nowMs) {
            return new Timed<>(nowMs, new CompletableFuture<>(), last == null ? null : last.newest());
        }
    }

    private final RedisClusterAsyncCommands<String, byte[]> redis;
    private final String nodeId;
    private final byte[] member;
    private final String hash;
    private final String nextHash;
    private final Clock clock;
    private final long ttlMs;
    private final long heartbeatNanos;
    private final int maxDirty;

    /** This node's non-zero counts: the truth the hash is rewritten from. */
    private final Map<String, Counts> current = new ConcurrentHashMap<>();

    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /** Reserved before adding to {@link #dirty}, so that it never holds more than maxDirty. */
    private final AtomicInteger dirtyCount = new AtomicInteger();

    /** At first too: a process that had this nodeId before may have left counts this one no longer has. */
    private volatile boolean rewrite = true;

    private volatile long rewriteNotBeforeNanos = System.nanoTime();
    /** Held by the one writer (a tick, or close): commands leave in the order values changed. */
    private final ReentrantLock writing = new ReentrantLock();
    /** Whether an early tick is queued already: one is enough, however many callers fill the dirty set. */
    private final AtomicBoolean tickQueued = new AtomicBoolean();

    private long nextHeartbeatNanos = System.nanoTime(); // under writing
    private final AtomicReference<Timed<List<String>>> nodes = new AtomicReference<>();
    private volatile long liveNodes;
    /** Per channel, oldest read first; guarded by itself. */
    private final Map<String, Timed<Counts>> cache = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Timed<Counts>> eldest) {
            return size() > MAX_CACHED;
        }
    };

    private final AtomicLong nextWarnNanos = new AtomicLong(System.nanoTime());
    private final AtomicInteger unlogged = new AtomicInteger();
    private volatile ScheduledExecutorService scheduler;
    private volatile ScheduledFuture<?> ticks;
    private volatile boolean closed;

    public RedisPresence(RedisClusterAsyncCommands<String, byte[]> redis, String nodeId, Clock clock) {
        this(redis, nodeId, clock, TTL, HEARTBEAT, MAX_DIRTY);
    }

    /** Tests shorten the TTL and the heartbeat to see a node expire within seconds. */
    RedisPresence(
            RedisClusterAsyncCommands<String, byte[]> redis,
            String nodeId,
            Clock clock,
            Duration ttl,
            Duration heartbeat,
            int maxDirty) {
        this.redis = requireNonNull(redis, "redis");
        this.clock = requireNonNull(clock, "clock");
        requireNonNull(nodeId, "nodeId");
        if (nodeId.isEmpty() || nodeId.indexOf('{') >= 0 || nodeId.indexOf('}') >= 0) {
            throw new IllegalArgumentException("nodeId: " + nodeId + " (expected: not empty, no braces)");
        }
        if (heartbeat.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("heartbeat: " + heartbeat + " (expected: < ttl " + ttl + ")");
        }
        if (maxDirty <= 0) {
            throw new IllegalArgumentException("maxDirty: " + maxDirty + " (expected: > 0)");
        }
        this.nodeId = nodeId;
        this.member = nodeId.getBytes(UTF_8);
        this.hash = hashOf(nodeId);
        this.nextHash = hash + ":next";
        this.ttlMs = ttl.toMillis();
        this.heartbeatNanos = heartbeat.toNanos();
        this.maxDirty = maxDirty;
    }

    static String hashOf(String nodeId) {
        return "push:node:{" + nodeId + "}:presence";
    }

    /** Heartbeats and writes on {@code scheduler} (a Netty {@code EventExecutorGroup} will do) until {@link #close}. */
    public void start(ScheduledExecutorService scheduler) {
        requireNonNull(scheduler, "scheduler");
        if (this.scheduler != null) {
            throw new IllegalStateException("started already");
        }
        this.scheduler = scheduler;
        ticks = scheduler.scheduleWithFixedDelay(this::tick, 0, FLUSH_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** This node's counts of {@code channel} are now these. Cheap, never blocks, never throws for Redis. */
    @Override
    public void changed(String channel, int roomMembers, int subscribers) {
        requireNonNull(channel, "channel");
        if (roomMembers < 0 || subscribers < 0) {
            throw new IllegalArgumentException(
                    "counts: " + roomMembers + ", " + subscribers + " (expected: >= 0) for " + channel);
        }
        if (roomMembers == 0 && subscribers == 0) {
            current.remove(channel);
        } else {
            current.put(channel, new Counts(roomMembers, subscribers));
        }
        // After the value: a flush that takes the name out of the set reads this value or a later one.
        if (dirty.contains(channel)) {
            return;
        }
        int reserved = dirtyCount.incrementAndGet();
        if (reserved > maxDirty) {
            dirtyCount.decrementAndGet();
            rewrite = true;
            flushSoon();
        } else if (!dirty.add(channel)) {
            dirtyCount.decrementAndGet();
        } else if (reserved >= maxDirty / 2) {
            flushSoon();
        }
    }

    /**
     * The sum of the other live nodes' counts of {@code channel}, as read at most a second ago; concurrent callers
     * share one read. Completes on a Lettuce thread, exceptionally when Redis cannot be read.
     */
    @Override
    public CompletionStage<Counts> others(String channel) {
        requireNonNull(channel, "channel");
        long now = clock.millis();
        Timed<Counts> read;
        synchronized (cache) {
            Timed<Counts> cached = cache.get(channel);
            if (cached != null && cached.fresh(now)) {
                return cached.value().minimalCompletionStage();
            }
            read = Timed.after(cached, now);
            cache.remove(channel); // put again last: the eldest entry is the one read longest ago
            cache.put(channel, read);
        }
        hop(() -> {
            CompletableFuture<List<String>> ids = liveNodeIds();
            // The HGETs leave from the scheduler, never from a Lettuce thread, which would encode those of every
            // caller that waited, and must read replies instead.
            (ids.isDone()
                            ? ids.thenCompose(live -> sum(channel, live))
                            : ids.thenComposeAsync(live -> sum(channel, live), this::hop))
                    .whenComplete((counts, e) -> {
                        if (e == null) {
                            read.value().complete(counts);
                        } else {
                            read.value().completeExceptionally(e);
                        }
                    });
        });
        return read.value().minimalCompletionStage();
    }

    @Override
    public Counts lastKnown(String channel) {
        Timed<Counts> cached;
        synchronized (cache) {
            cached = cache.get(channel);
        }
        if (cached == null || !cached.fresh(clock.millis())) {
            others(channel); // for the next caller
        }
        Counts known = cached == null ? null : cached.newest();
        return known == null ? Counts.ZERO : known;
    }

    /** Live nodes, this one included, as last read (a gauge). */
    public long liveNodes() {
        return liveNodes;
    }

    /** Channels waiting for the next flush (tests). */
    int dirtyChannels() {
        return dirty.size();
    }

    /** Channels whose {@link #others} is cached (tests). */
    int cachedChannels() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private CompletableFuture<List<String>> liveNodeIds() {
        long now = clock.millis();
        Timed<List<String>> last = nodes.get();
        if (last != null && last.fresh(now)) {
            return last.value();
        }
        Timed<List<String>> read = Timed.after(last, now);
        if (!nodes.compareAndSet(last, read)) {
            return nodes.get().value(); // another caller started one just now
        }
        try {
            redis.zrangebyscore(NODES, Range.from(Range.Boundary.including(now - ttlMs), Range.Boundary.unbounded()))
                    .whenComplete((members, e) -> {
                        if (e != null) {
                            read.value().completeExceptionally(e);
                            return;
                        }
                        List<String> ids = new ArrayList<>(members.size());
                        members.forEach(m -> ids.add(new String(m, UTF_8)));
                        liveNodes = ids.size();
                        read.value().complete(ids);
                    });
        } catch (RuntimeException e) {
            read.value().completeExceptionally(e); // else the read would stay in flight, and shared, forever
        }
        return read.value();
    }

    /** Runs {@code task} on the scheduler; on this thread before start and after the scheduler stopped. */
    private void hop(Runnable task) {
        ScheduledExecutorService s = scheduler;
        if (s != null && !s.isShutdown()) {
            try {
                s.execute(task);
                return;
            } catch (RejectedExecutionException e) {
                // stopped: below
            }
        }
        task.run();
    }

    private CompletableFuture<Counts> sum(String channel, List<String> ids) {
        List<CompletableFuture<byte[]>> reads = new ArrayList<>(ids.size());
        for (String id : ids) {
            if (!id.equals(nodeId)) {
                reads.add(redis.hget(hashOf(id), channel).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture<?>[]::new))
                .thenApply(done -> {
                    Counts sum = Counts.ZERO;
                    for (CompletableFuture<byte[]> read : reads) {
                        sum = sum.plus(parse(read.join())); // done: join does not wait
                    }
                    return sum;
                });
    }

    private Counts parse(byte[] value) {
        if (value == null) {
            return Counts.ZERO;
        }
        String text = new String(value, UTF_8);
        int colon = text.indexOf(':');
        try {
            if (colon > 0) {
                return new Counts(Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
            }
        } catch (NumberFormatException e) {
            // below
        }
        failed("reading presence", new IllegalStateException("not <roomMembers>:<subscribers>: " + text));
        return Counts.ZERO;
    }

    private void flushSoon() {
        ScheduledExecutorService s = scheduler;
        if (s == null || closed) {
            return; // the first tick after start writes it
        }
        if (!tickQueued.compareAndSet(false, true)) {
            return; // one is on its way
        }
        try {
            s.execute(this::tick);
        } catch (RejectedExecutionException e) {
            tickQueued.set(false); // shutting down: close() deletes this node's presence anyway
        }
    }

    /** Every 200 ms, and sooner when the dirty set fills: writes, and heartbeats when it is time. */
    private void tick() {
        tickQueued.set(false);
        if (!writing.tryLock()) {
            return; // another tick writes right now, and what changed meanwhile waits for the next one
        }
        try {
            if (closed) {
                return;
            }
            if (!rewrite) {
                writeDirty();
            } else if (System.nanoTime() - rewriteNotBeforeNanos >= 0) {
                rewriteAll();
            }
            if (System.nanoTime() - nextHeartbeatNanos >= 0) {
                nextHeartbeatNanos = System.nanoTime() + heartbeatNanos;
                heartbeat();
            }
        } catch (RuntimeException e) {
            failed("writing presence", e);
        } finally {
            writing.unlock();
        }
    }

    private void writeDirty() {
        Batch batch = new Batch(hash, false);
        int taken = 0;
        for (String channel : dirty) {
            if (taken == maxDirty) {
                break; // what keeps changing meanwhile waits for the next tick
            }
            if (dirty.remove(channel)) {
                dirtyCount.decrementAndGet();
                taken++;
                batch.add(channel, current.get(channel));
            }
        }
        batch.end();
        if (!batch.writes.isEmpty()) {
            batch.writes.add(redis.pexpire(hash, ttlMs).toCompletableFuture());
            watch(batch.writes, "writing presence");
        }
    }

    private void rewriteAll() {
        rewrite = false;
        for (String channel : dirty) { // all of them go out with the whole hash
            if (dirty.remove(channel)) {
                dirtyCount.decrementAndGet();
            }
        }
        Batch batch = new Batch(nextHash, true);
        batch.writes.add(redis.del(nextHash).toCompletableFuture());
        current.forEach(batch::add);
        batch.end();
        if (batch.fields == 0) {
            batch.writes.add(redis.del(hash).toCompletableFuture());
        } else {
            batch.writes.add(redis.rename(nextHash, hash).toCompletableFuture());
            batch.writes.add(redis.pexpire(hash, ttlMs).toCompletableFuture());
        }
        watch(batch.writes, "rewriting presence");
    }

    private void heartbeat() {
        long now = clock.millis();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        writes.add(redis.zadd(NODES, (double) now, member).toCompletableFuture());
        // Now and then is every heartbeat of every node: cheap, and twice the TTL leaves room for skewed clocks.
        writes.add(redis.zremrangebyscore(
                        NODES, Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(now - 2 * ttlMs)))
                .toCompletableFuture());
        writes.add(redis.pexpire(NODES, 2 * ttlMs).toCompletableFuture());
        writes.add(redis.pexpire(hash, ttlMs).toCompletableFuture().thenAccept(renewed -> {
            if (!renewed && !current.isEmpty()) {
                rewrite = true; // expired while Redis was away, or Redis lost it
            }
        }));
        watch(writes, "presence heartbeat");
        liveNodeIds().whenComplete((ids, e) -> {
            if (e != null) {
                failed("reading live nodes", e);
            }
        });
    }

    private void watch(List<CompletableFuture<?>> writes, String what) {
        CompletableFuture.allOf(writes.toArray(CompletableFuture<?>[]::new)).whenComplete((done, e) -> {
            if (e != null) {
                rewriteNotBeforeNanos = System.nanoTime() + REWRITE_RETRY_NANOS;
                rewrite = true; // which of the writes landed is unknown: write them all again
                failed(what, e);
            }
        });
    }

    private void failed(String what, Throwable e) {
        long now = System.nanoTime();
        long next = nextWarnNanos.get();
        if (now - next >= 0 && nextWarnNanos.compareAndSet(next, now + WARN_EVERY_NANOS)) {
            log.warn(
                    "Node {}: {} failed ({} more failures since the last warning): {}",
                    nodeId,
                    what,
                    unlogged.getAndSet(0),
                    e.toString());
        } else {
            unlogged.incrementAndGet();
        }
    }

    /** Stops writing and deletes this node's presence, waiting at most a second for Redis (off the event loops). */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> t = ticks;
        if (t != null) {
            t.cancel(false);
        }
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            // Once a tick in flight has sent its writes, so that none lands after the deletes.
            if (writing.tryLock(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                writing.unlock();
            }
            CompletableFuture.allOf(
                            redis.del(hash, nextHash).toCompletableFuture(),
                            redis.zrem(NODES, member).toCompletableFuture())
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            log.warn("Node {}: could not delete its presence (it expires by itself): {}", nodeId, e.toString());
        }
    }

    /** Channels' fields for one hash: HSET and HDEL of at most {@link #FIELDS_PER_COMMAND} fields each. */
    private final class Batch {
        final String key;
        /** A key this batch creates gets its TTL at once: a rewrite cut short must not leave it behind. */
        final boolean created;

        final List<CompletableFuture<?>> writes = new ArrayList<>();
        Map<String, byte[]> set = new HashMap<>();
        List<String> deleted = new ArrayList<>();
        int fields;

        Batch(String key, boolean created) {
            this.key = key;
            this.created = created;
        }

        void add(String channel, Counts counts) {
            if (counts == null) {
                deleted.add(channel);
                if (deleted.size() == FIELDS_PER_COMMAND) {
                    sendDeletes();
                }
                return;
            }
            set.put(channel, (counts.roomMembers() + ":" + counts.subscribers()).getBytes(UTF_8));
            fields++;
            if (set.size() == FIELDS_PER_COMMAND) {
                sendSets();
            }
        }

        void end() {
            if (!set.isEmpty()) {
                sendSets();
            }
            if (!deleted.isEmpty()) {
                sendDeletes();
            }
        }

        private void sendSets() {
            writes.add(redis.hset(key, set).toCompletableFuture());
            if (created && fields == set.size()) {
                writes.add(redis.pexpire(key, ttlMs).toCompletableFuture());
            }
            set = new HashMap<>();
        }

        private void sendDeletes() {
            writes.add(redis.hdel(key, deleted.toArray(String[]::new)).toCompletableFuture());
            deleted = new ArrayList<>();
        }
    }
}
