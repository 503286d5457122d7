package io.inlet.sink;

import java.util.Map;

/**
 * Keeps each partition's settled position of a job for as long as the job exists, beyond what the source forgets:
 * Kafka deletes a consumer group's offsets once the group has had no member for {@code offsets.retention.minutes}
 * (7 days by default), as when a job stays paused. Written by the runtime that settled the partition last, when it
 * lets the partition go; read when the source no longer has a position for it.
 */
public interface PositionArchive {

    /** No archive: positions live only where the source keeps them. */
    PositionArchive NONE = new PositionArchive() {
        @Override
        public void save(long jobId, String partition, String position) {
        }

        @Override
        public Map<String, String> load(long jobId) {
            return Map.of();
        }
    };

    /** Replaces the archived position of one partition; {@code position} is the store's own encoding. */
    void save(long jobId, String partition, String position) throws Exception;

    /** The archived positions of the job's partitions, by partition. */
    Map<String, String> load(long jobId) throws Exception;
}
