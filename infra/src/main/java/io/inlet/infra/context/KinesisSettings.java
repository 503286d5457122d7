package io.inlet.infra.context;

/** The optional Kinesis data stream (seed 002) the service may read. */
public record KinesisSettings(int shardCount, int retentionHours) {
}
