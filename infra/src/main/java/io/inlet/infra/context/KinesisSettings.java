package io.inlet.infra.context;

import java.util.List;

/** The optional Kinesis data stream (seed 002) the service may read, and the jobs that load it. */
public record KinesisSettings(int shardCount, int retentionHours, List<KinesisJobSpec> jobs) {
}
