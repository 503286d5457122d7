package io.inlet.source.kinesis;

/**
 * How far one owned shard is behind, for SHOW ROUTINE LOAD's Lag: {@code millisBehindLatest} as the last
 * GetRecords answered (null before the first; 0 once a finished shard is read to its end), and the position a
 * job would resume at.
 */
public record ShardLag(String shardId, ShardState state, Long millisBehindLatest, ShardPosition position) {

    /** Where an owned shard stands. */
    public enum ShardState {
        /** Waiting for a parent shard owned by the same reader to be read to its end. */
        WAITING_FOR_PARENT,
        READING,
        /** Closed and read to its end: every record handed out. */
        FINISHED
    }
}
