package io.inlet.source.kinesis;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record handed out by {@link KinesisShardReader}: where it comes from (shard, sequence number), when Kinesis
 * accepted it (approximate arrival time), its partition key and its data.
 */
public record KinesisRecord(String shardId, String sequenceNumber, Instant arrivalTimestamp, String partitionKey,
                            byte[] data) {

    @Override
    public boolean equals(Object o) {
        return o instanceof KinesisRecord r && r.shardId.equals(shardId) && r.sequenceNumber.equals(sequenceNumber)
                && Objects.equals(r.arrivalTimestamp, arrivalTimestamp) && Objects.equals(r.partitionKey, partitionKey)
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shardId, sequenceNumber);
    }

    /** Shard, sequence number and size; never the data, which may be personal. */
    @Override
    public String toString() {
        return shardId + "@" + sequenceNumber + " (" + data.length + " bytes)";
    }
}
