package io.inlet.source.kinesis;

import io.inlet.expr.MessageMetadata;

import java.nio.charset.StandardCharsets;

/**
 * The metadata of the Kinesis record being decoded, for the mapping's metadata functions: {@code kafka_key()} is
 * the partition key, {@code kafka_timestamp()} the approximate arrival time (a {@code LogAppendTime}: Kinesis sets
 * it), and a Kinesis record has no headers, no partition number and no offset that fits a long (-1). The task
 * points it at each record in turn ({@link #of}), which copies nothing.
 */
public final class KinesisRecordMetadata implements MessageMetadata {

    private KinesisRecord record;

    public void of(KinesisRecord r) {
        this.record = r;
    }

    @Override
    public byte[] key() {
        return record.partitionKey() == null ? null : record.partitionKey().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] header(String name) {
        return null;
    }

    @Override
    public long timestamp() {
        return record.arrivalTimestamp() == null ? -1 : record.arrivalTimestamp().toEpochMilli();
    }

    @Override
    public String timestampType() {
        return record.arrivalTimestamp() == null ? null : "LogAppendTime";
    }

    @Override
    public int partition() {
        return -1;
    }

    @Override
    public long offset() {
        return -1;
    }
}
