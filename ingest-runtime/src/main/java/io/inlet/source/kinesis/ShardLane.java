package io.inlet.source.kinesis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The shards a job claimed, read on a thread of their own ahead of the task that loads them, as a Kafka job's
 * group member reads ahead into its lanes: the task takes the records ({@link #poll}, {@link #next}) on its turns
 * and is told when some arrive ({@link #onRecords}), so that it holds no thread while the stream is idle.
 *
 * <p>A failure of the reader (the stream missing, access denied), or a shard the job did not claim (a reshard:
 * {@link ShardsChangedException}), stops the reading and is rethrown to the task. {@link #rewind} drops what was
 * read ahead and reads again from the given positions.
 */
public final class ShardLane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShardLane.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int MAX_RECORDS = 10_000;

    /** Records read under one rewind epoch. */
    private record Chunk(long epoch, List<KinesisRecord> records) {}

    private record Failure(RuntimeException cause) {}

    private final KinesisShardReader reader;
    private final StreamRef stream;
    private final Set<String> claimed;
    private final Map<String, String> starts;
    private final ZoneId zone;
    private final Thread thread;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
    private volatile boolean closed;
    private volatile long requested;
    /** Reading thread: the rewind the reader's positions reflect. */
    private long applied;
    private Map<String, String> rewindTo;
    private volatile Runnable onRecords = () -> { };

    ShardLane(KinesisShardReader reader, StreamRef stream, Set<String> claimed, ZoneId zone, String threadName) {
        this.reader = reader;
        this.stream = stream;
        this.claimed = claimed;
        this.starts = Map.copyOf(reader.positions().entrySet().stream().collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString())));
        this.zone = zone;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    public ShardLane start() {
        thread.start();
        return this;
    }

    /** The shards this lane reads, as claimed. */
    public Set<String> shards() {
        return claimed;
    }

    /** Where each shard the lane reads started ({@link ShardPosition#toString()} form). */
    public Map<String, String> starts() {
        return starts;
    }

    private void run() {
        while (!closed) {
            try {
                long epoch;
                Map<String, String> to;
                synchronized (this) {
                    epoch = requested;
                    to = rewindTo;
                }
                if (epoch != applied) {
                    reassign(to);
                    applied = epoch;
                }
                List<KinesisRecord> records = reader.poll(MAX_RECORDS, POLL);
                Set<String> owned = reader.ownedShards();
                if (!claimed.containsAll(owned)) {
                    Set<String> unclaimed = new HashSet<>(owned);
                    unclaimed.removeAll(claimed);
                    fail(new ShardsChangedException(stream, unclaimed));
                    return;
                }
                if (!records.isEmpty()) {
                    hand(new Chunk(epoch, records));
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("Kinesis stream {}: reading stopped: {}", stream, e.getMessage());
                    fail(e);
                }
                return;
            }
        }
    }

    /** Waits for room in the queue, unless a rewind makes the chunk stale or the lane closes. */
    private void hand(Chunk c) {
        try {
            while (!closed && c.epoch() == requested) {
                if (queue.offer(c, 200, TimeUnit.MILLISECONDS)) {
                    onRecords.run();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reassign(Map<String, String> positions) {
        Map<String, ShardPosition> at = new LinkedHashMap<>();
        Set<String> owned = reader.ownedShards();
        positions.forEach((shard, p) -> {
            if (owned.contains(shard)) {
                at.put(shard, ShardPosition.parse(p, zone));
            }
        });
        reader.assign(at);
    }

    private void fail(RuntimeException cause) {
        queue.clear();
        queue.offer(new Failure(cause));
        onRecords.run();
    }

    /** The next records if some are waiting, else an empty list at once. Rethrows the reading's failure. */
    public List<KinesisRecord> poll() {
        Object item;
        while ((item = queue.poll()) != null) {
            List<KinesisRecord> records = take(item);
            if (records != null) {
                return records;
            }
        }
        return List.of();
    }

    /** The next records, waiting up to {@code timeoutMillis}; empty when nothing arrived in time. */
    public List<KinesisRecord> next(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            Object item = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (item == null) {
                return List.of();
            }
            List<KinesisRecord> records = take(item);
            if (records != null) {
                return records;
            }
        }
    }

    private List<KinesisRecord> take(Object item) {
        if (item instanceof Failure f) {
            queue.offer(f); // every later poll fails the same way
            throw f.cause();
        }
        Chunk c = (Chunk) item;
        return c.epoch() == requested ? c.records() : null; // null: read before a rewind
    }

    /** Whether records (or a failure) wait in the lane. */
    public boolean hasRecords() {
        return !queue.isEmpty();
    }

    /** {@code listener} is told, on the reading thread, whenever records or a failure arrive. */
    public void onRecords(Runnable listener) {
        this.onRecords = listener;
    }

    /** Reads again from {@code positions} ({@link ShardPosition#toString()} form): what was read beyond is dropped. */
    public void rewind(Map<String, String> positions) {
        synchronized (this) {
            requested++;
            rewindTo = Map.copyOf(positions);
        }
        queue.clear();
    }

    /** MillisBehindLatest per shard as the last GetRecords answered (0 once a closed shard is read to its end). */
    public Map<String, Long> lag() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ShardLag l : reader.lag()) {
            if (l.millisBehindLatest() != null) {
                out.put(l.shardId(), l.millisBehindLatest());
            }
        }
        return out;
    }

    /** Calls answered with throttling and backed off, since the lane was opened. */
    public long throttledCalls() {
        return reader.throttledCalls();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
