package io.inlet.source.kinesis;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The reading state of one owned shard: its start, its live iterator, records fetched but not yet handed out,
 * the last sequence number handed out, and whether its end has been seen. A shard is fetched only when nothing
 * of it is pending, so the last record fetched is the last handed out whenever a new iterator is needed.
 */
final class ShardCursor {
    final String shardId;
    final ShardPosition start;
    ShardInfo info;
    String iterator;
    String lastHandedOut;
    Instant latestIteratorAt;
    final ArrayDeque<KinesisRecord> pending = new ArrayDeque<>();
    boolean endReached;
    Long millisBehindLatest;
    long nextFetchAt;
    int throttledInARow;

    ShardCursor(String shardId, ShardInfo info, ShardPosition start) {
        this.shardId = shardId;
        this.info = info;
        this.start = start;
        this.endReached = start.kind() == ShardPosition.Kind.SHARD_END;
    }

    /** Read to its end and every record handed out. */
    boolean finished() {
        return endReached && pending.isEmpty();
    }

    /**
     * Where reading resumes with a new iterator, and what a job stores as this shard's progress: after the last
     * record handed out; before any, the start (LATEST as the time its first iterator was asked for, so that
     * records arriving since are not skipped); SHARD_END once finished.
     */
    ShardPosition resumePosition() {
        if (finished()) {
            return ShardPosition.shardEnd();
        }
        if (lastHandedOut != null) {
            return ShardPosition.afterSequence(lastHandedOut);
        }
        if (start.kind() == ShardPosition.Kind.LATEST && latestIteratorAt != null) {
            return ShardPosition.atTimestamp(latestIteratorAt);
        }
        return start;
    }

    /** True when {@code sequenceNumber} is the closed shard's ending sequence number (or past it). */
    boolean atEndingSequence(String sequenceNumber) {
        return info != null && info.closed() && sequenceNumber != null
                && new BigInteger(sequenceNumber).compareTo(new BigInteger(info.endingSequenceNumber())) >= 0;
    }
}
