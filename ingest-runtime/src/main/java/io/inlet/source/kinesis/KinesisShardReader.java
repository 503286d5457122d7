package io.inlet.source.kinesis;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the shards of one Kinesis stream that a job task owns, on the thread that polls (no thread per shard;
 * poll from one thread, as a KafkaConsumer): {@link #assign} or {@link #assignAll} says which shards are read
 * from where, {@link #poll} hands out the next records, {@link #positions()} tells where each shard would resume,
 * for the job to commit with the records it loaded. {@link #lag()} and {@link #positions()} may be asked from
 * other threads (SHOW): they wait for a poll's current Kinesis call, never for its sleep.
 *
 * <p>A closed parent shard is read to its end before its children (after a split or a merge); shards born while
 * reading (children of owned shards, or any new shard under {@link #assignAll}) are picked up from their start.
 * Throttling (ProvisionedThroughputExceeded, LimitExceeded) backs the shard off; an expired iterator is renewed
 * after the last record handed out, so no record is handed out twice. A stream that does not exist or may not be
 * read fails with a {@link KinesisSourceException} naming it.
 */
public final class KinesisShardReader {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisShardReader.class);

    private final KinesisClient client;
    private final StreamRef stream;
    private final ReaderSettings settings;
    private final ShardLister lister;
    private final Map<String, ShardCursor> owned = new LinkedHashMap<>();
    private final Set<String> listedAtAssignment = new HashSet<>();
    private boolean adoptEveryNewShard;
    private boolean discoveryWanted;
    private long nextDiscoveryAt;
    private int discoveryThrottled;
    private int rotation;
    private long throttledCalls;
    private long renewedIterators;

    public KinesisShardReader(KinesisClient client, StreamRef stream, ReaderSettings settings) {
        this.client = client;
        this.stream = stream;
        this.settings = settings;
        this.lister = new ShardLister(client, stream, settings.listShardsPageSize());
    }

    // ------------------------------------------------------------------------------------ ownership

    /**
     * These shards are this reader's now, each read from its position (SHARD_END: already read). Shards listed
     * now but not given stay another reader's; shards born later are adopted when a parent is owned here.
     */
    public synchronized void assign(Map<String, ShardPosition> shards) {
        List<ShardInfo> all = lister.listAll();
        Map<String, ShardInfo> byId = byId(all);
        shards.forEach((id, position) -> {
            if (!byId.containsKey(id) && position.kind() != ShardPosition.Kind.SHARD_END) {
                throw new KinesisSourceException(KinesisSourceException.Reason.FAILED, stream, "shard " + id
                        + " is not a shard of Kinesis stream " + stream + " (a wrong kinesis_shards entry, or a shard "
                        + "past retention); its shards are " + byId.keySet(), null);
            }
        });
        reset(false, all);
        shards.forEach((id, position) -> owned.put(id, new ShardCursor(id, byId.get(id), position)));
        LOG.info("Kinesis stream {}: reading shards {}", stream, shards);
    }

    /**
     * Every shard of the stream is this reader's: those in {@code known} from their position; a shard whose parent
     * is known (a child born after those positions were taken) from TRIM_HORIZON, after its parents; the others
     * from {@code defaultPosition}. Shards born later (splits, merges) are read from TRIM_HORIZON too.
     */
    public synchronized void assignAll(ShardPosition defaultPosition, Map<String, ShardPosition> known) {
        List<ShardInfo> all = lister.listAll();
        reset(true, all);
        for (ShardInfo s : all) {
            ShardPosition start = known.get(s.shardId());
            if (start == null) {
                start = s.parentIds().stream().anyMatch(known::containsKey) ? ShardPosition.trimHorizon()
                        : defaultPosition;
            }
            owned.put(s.shardId(), new ShardCursor(s.shardId(), s, start));
        }
        LOG.info("Kinesis stream {}: reading all {} shards, default position {}", stream, all.size(), defaultPosition);
    }

    private void reset(boolean adoptAll, List<ShardInfo> listed) {
        owned.clear();
        listedAtAssignment.clear();
        listed.forEach(s -> listedAtAssignment.add(s.shardId()));
        adoptEveryNewShard = adoptAll;
        discoveryWanted = false;
        nextDiscoveryAt = System.nanoTime() + settings.discoveryInterval().toNanos();
    }

    public synchronized Set<String> ownedShards() {
        return Set.copyOf(owned.keySet());
    }

    // ------------------------------------------------------------------------------------ reading

    /**
     * The next records, at most {@code maxRecords}, in sequence order within each shard; waits up to
     * {@code timeout} for some (returns an empty list then, or when the thread is interrupted).
     */
    public List<KinesisRecord> poll(int maxRecords, Duration timeout) {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be positive, not " + maxRecords);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long now;
            long wake;
            synchronized (this) {
                List<KinesisRecord> out = pollOnce(maxRecords);
                now = System.nanoTime();
                if (!out.isEmpty() || now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                    return out;
                }
                wake = nextWake(now, deadline);
            }
            if (wake - now > 0) {
                LockSupport.parkNanos(wake - now);
            }
        }
    }

    /** Discovers if due, hands out what is pending, else fetches the shards that are due and hands that out. */
    private List<KinesisRecord> pollOnce(int maxRecords) {
        List<KinesisRecord> out = new ArrayList<>();
        if (discoveryWanted || System.nanoTime() - nextDiscoveryAt >= 0) {
            discover();
        }
        handOut(out, maxRecords);
        if (out.isEmpty()) {
            for (ShardCursor c : readable()) {
                if (c.pending.isEmpty() && !c.endReached && System.nanoTime() - c.nextFetchAt >= 0) {
                    fetch(c);
                }
            }
            handOut(out, maxRecords);
        }
        return out;
    }

    /** When something can happen next: a shard due for a fetch, a discovery, or the deadline. */
    private long nextWake(long now, long deadline) {
        long wake = discoveryWanted ? now : Math.min(nextDiscoveryAt - now, deadline - now) + now;
        for (ShardCursor c : readable()) {
            if (!c.endReached && c.pending.isEmpty() && c.nextFetchAt - wake < 0) {
                wake = c.nextFetchAt;
            }
        }
        return wake;
    }

    /** Owned shards that may be read now: not finished, and no owned parent still being read. */
    private List<ShardCursor> readable() {
        List<ShardCursor> out = new ArrayList<>();
        for (ShardCursor c : owned.values()) {
            if (!c.finished() && !waitingForParent(c)) {
                out.add(c);
            }
        }
        return out;
    }

    private boolean waitingForParent(ShardCursor c) {
        if (c.info == null) {
            return false;
        }
        for (String parent : c.info.parentIds()) {
            ShardCursor p = owned.get(parent);
            if (p != null && !p.finished()) {
                return true;
            }
        }
        return false;
    }

    private void handOut(List<KinesisRecord> out, int maxRecords) {
        List<ShardCursor> cursors = readable();
        for (int i = 0; i < cursors.size() && out.size() < maxRecords; i++) {
            ShardCursor c = cursors.get((i + rotation) % cursors.size());
            while (!c.pending.isEmpty() && out.size() < maxRecords) {
                KinesisRecord r = c.pending.poll();
                out.add(r);
                c.lastHandedOut = r.sequenceNumber();
            }
        }
        rotation++;
    }

    private void fetch(ShardCursor c) {
        boolean closedBefore = c.info != null && c.info.closed();
        try {
            if (c.iterator == null) {
                c.iterator = shardIterator(c);
                if (c.iterator == null) {
                    return;
                }
            }
            GetRecordsResponse r = client.getRecords(b -> b.shardIterator(c.iterator)
                    .limit(settings.maxRecordsPerCall()));
            c.throttledInARow = 0;
            long bytes = 0;
            for (Record rec : r.records()) {
                byte[] data = rec.data().asByteArray();
                bytes += data.length;
                c.pending.add(new KinesisRecord(c.shardId, rec.sequenceNumber(), rec.approximateArrivalTimestamp(),
                        rec.partitionKey(), data));
            }
            c.millisBehindLatest = r.millisBehindLatest();
            c.iterator = r.nextShardIterator();
            boolean atTip = r.records().isEmpty() && Long.valueOf(0).equals(r.millisBehindLatest());
            String lastFetched = c.pending.isEmpty() ? null : c.pending.peekLast().sequenceNumber();
            if (c.iterator == null || (closedBefore && atTip) || c.atEndingSequence(lastFetched)) {
                endReached(c, "its end");
            }
            long paceNanos = Math.max(settings.minFetchInterval().toNanos(),
                    bytes * 1_000_000_000L / settings.bytesPerSecondPerShard());
            if (atTip) {
                paceNanos = Math.max(paceNanos, settings.idleFetchInterval().toNanos());
            }
            c.nextFetchAt = System.nanoTime() + paceNanos;
        } catch (ExpiredIteratorException e) {
            renewedIterators++;
            LOG.info("Kinesis stream {}: iterator of shard {} expired; renewing at {}", stream, c.shardId,
                    c.resumePosition());
            c.iterator = null;
        } catch (ProvisionedThroughputExceededException | LimitExceededException | KmsThrottlingException e) {
            backOff(c, e);
        } catch (ResourceNotFoundException e) {
            shardOrStreamGone(c, e);
        } catch (SdkClientException e) {
            if (!isIoFailure(e)) {
                throw KinesisSourceException.failed(stream, "reading shard " + c.shardId, e);
            }
            backOff(c, e); // the same request may go through later
        } catch (SdkException e) {
            if (KinesisSourceException.isAccessDenied(e)) {
                throw KinesisSourceException.accessDenied(stream, lister.region(), "GetRecords", e);
            }
            throw KinesisSourceException.failed(stream, "reading shard " + c.shardId, e);
        }
    }

    /** A new iterator at the shard's resume position; null (and the end reached) for SHARD_END. */
    private String shardIterator(ShardCursor c) {
        ShardPosition p = c.resumePosition();
        if (p.kind() == ShardPosition.Kind.SHARD_END) {
            endReached(c, "SHARD_END");
            return null;
        }
        GetShardIteratorRequest.Builder req = GetShardIteratorRequest.builder().shardId(c.shardId)
                .shardIteratorType(ShardIteratorType.fromValue(p.kind().name()))
                .startingSequenceNumber(p.sequenceNumber()).timestamp(p.timestamp());
        if (stream.byArn()) {
            req.streamARN(stream.arn());
        } else {
            req.streamName(stream.name());
        }
        if (p.kind() == ShardPosition.Kind.LATEST) {
            c.latestIteratorAt = Instant.now();
        }
        return client.getShardIterator(req.build()).shardIterator();
    }

    private void backOff(ShardCursor c, SdkException e) {
        throttledCalls++;
        c.throttledInARow++;
        Duration wait = settings.backoff(c.throttledInARow);
        LOG.debug("Kinesis stream {}: shard {} throttled ({}), retrying in {}", stream, c.shardId,
                e.getClass().getSimpleName(), wait);
        c.nextFetchAt = System.nanoTime() + wait.toNanos();
    }

    /** ResourceNotFound on a shard: the stream is gone (fail), or the shard aged out of retention (finished). */
    private void shardOrStreamGone(ShardCursor c, ResourceNotFoundException e) {
        List<ShardInfo> all = lister.listAll();
        if (byId(all).containsKey(c.shardId)) {
            throw KinesisSourceException.failed(stream, "reading shard " + c.shardId, e);
        }
        LOG.warn("Kinesis stream {}: shard {} no longer exists (past retention); nothing more to read there",
                stream, c.shardId);
        endReached(c, "its removal");
    }

    /** Nothing more will come from this shard: once its pending records are handed out, its children may start. */
    private void endReached(ShardCursor c, String why) {
        LOG.info("Kinesis stream {}: shard {} reached {}", stream, c.shardId, why);
        c.endReached = true;
        c.iterator = null;
        discoveryWanted = true;
    }

    /** An SDK client failure caused by I/O (connection refused, reset, timeout), not by configuration. */
    private static boolean isIoFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------ new shards

    /** Lists the shards again: learns which owned shards closed, and adopts shards born since the assignment. */
    private void discover() {
        List<ShardInfo> all;
        try {
            all = lister.listAll();
            discoveryThrottled = 0;
        } catch (LimitExceededException | SdkClientException e) {
            if (e instanceof SdkClientException && !isIoFailure(e)) {
                throw KinesisSourceException.failed(stream, "listing the shards", e);
            }
            throttledCalls++;
            nextDiscoveryAt = System.nanoTime() + settings.backoff(++discoveryThrottled).toNanos();
            return;
        }
        discoveryWanted = false;
        nextDiscoveryAt = System.nanoTime() + settings.discoveryInterval().toNanos();
        for (ShardInfo s : all) {
            ShardCursor c = owned.get(s.shardId());
            if (c != null) {
                c.info = s;
            } else if (!listedAtAssignment.contains(s.shardId())
                    && (adoptEveryNewShard || s.parentIds().stream().anyMatch(owned::containsKey))) {
                owned.put(s.shardId(), new ShardCursor(s.shardId(), s, ShardPosition.trimHorizon()));
                LOG.info("Kinesis stream {}: new shard {} (parents {}) read from TRIM_HORIZON", stream, s.shardId(),
                        s.parentIds());
            }
        }
    }

    private static Map<String, ShardInfo> byId(List<ShardInfo> shards) {
        Map<String, ShardInfo> m = new LinkedHashMap<>();
        shards.forEach(s -> m.put(s.shardId(), s));
        return m;
    }

    // ------------------------------------------------------------------------------------ progress

    /**
     * Per owned shard, where reading would resume after the records handed out so far: AFTER_SEQUENCE_NUMBER of
     * the last one, the start position before any, SHARD_END once the shard is finished. A job commits these with
     * the records it loaded and hands them back to {@link #assign} or {@link #assignAll} on restart.
     */
    public synchronized Map<String, ShardPosition> positions() {
        Map<String, ShardPosition> m = new LinkedHashMap<>();
        owned.forEach((id, c) -> m.put(id, c.resumePosition()));
        return m;
    }

    /** Per owned shard, its state and MillisBehindLatest, for SHOW ROUTINE LOAD's Lag. */
    public synchronized List<ShardLag> lag() {
        List<ShardLag> out = new ArrayList<>();
        for (ShardCursor c : owned.values()) {
            ShardLag.ShardState state = c.finished() ? ShardLag.ShardState.FINISHED
                    : waitingForParent(c) ? ShardLag.ShardState.WAITING_FOR_PARENT : ShardLag.ShardState.READING;
            out.add(new ShardLag(c.shardId, state, c.finished() ? Long.valueOf(0) : c.millisBehindLatest,
                    c.resumePosition()));
        }
        return out;
    }

    /** Calls answered with throttling (or an I/O failure) and backed off, since this reader was made. */
    public synchronized long throttledCalls() {
        return throttledCalls;
    }

    /** Expired shard iterators renewed, since this reader was made. */
    public synchronized long renewedIterators() {
        return renewedIterators;
    }
}
