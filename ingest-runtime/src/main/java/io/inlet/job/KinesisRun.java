package io.inlet.job;

import io.inlet.source.kinesis.KinesisJobSource;
import io.inlet.source.kinesis.ShardLane;

/** A Kinesis job's stream and the lane of its claimed shards, while the job runs on this runtime. */
record KinesisRun(KinesisJobSource source, ShardLane lane) implements AutoCloseable {

    /** Stops the reading, then closes the client. */
    @Override
    public void close() {
        lane.close();
        source.close();
    }
}
