package io.inlet.job;

import io.inlet.expr.MessageMetadata;
import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.sink.LoadSession;
import io.inlet.source.kinesis.KinesisRecord;
import io.inlet.source.kinesis.KinesisRecordMetadata;
import io.inlet.source.kinesis.ShardLane;
import io.inlet.source.kinesis.ShardPosition;

import java.util.List;
import java.util.Map;

/**
 * A task of a Kinesis job: its shards' records come through the job's {@link ShardLane}; a shard's position after
 * a batch is AFTER_SEQUENCE_NUMBER of its last record ({@link ShardPosition#toString()} form). Kinesis records have
 * no offset that fits the error log's: their entries carry -1, and the reason names the sequence number.
 */
final class KinesisLoadTask extends LoadTask<List<KinesisRecord>> {

    private final ShardLane lane;
    private final KinesisRecordMetadata metadata = new KinesisRecordMetadata();

    /** @param starts the shards and where each starts ({@link ShardPosition#toString()} form); the lane reads there */
    KinesisLoadTask(RoutineLoadJob job, long assignment, Map<String, String> starts, long generation, ShardLane lane,
                    TaskSlots slots) {
        super(job, assignment, 0, starts, generation, slots);
        this.lane = lane;
    }

    @Override
    List<KinesisRecord> poll() {
        return lane.poll();
    }

    @Override
    List<KinesisRecord> next(long waitMs) throws Exception {
        return lane.next(waitMs);
    }

    @Override
    boolean isEmpty(List<KinesisRecord> records) {
        return records.isEmpty();
    }

    @Override
    int count(List<KinesisRecord> records) {
        return records.size();
    }

    @Override
    boolean hasRecords() {
        return lane.hasRecords();
    }

    @Override
    void onRecords(Runnable wake) {
        lane.onRecords(wake);
    }

    @Override
    void rewind(Map<String, String> positions) {
        lane.rewind(positions);
    }

    @Override
    MessageMetadata metadata() {
        return metadata;
    }

    @Override
    String noNewData(long batchIntervalSeconds) {
        return "there is no new data in kinesis, wait for " + batchIntervalSeconds + " seconds to schedule again";
    }

    @Override
    String end(PartitionBatch pb) {
        return ShardPosition.afterSequence(pb.lastSequence).toString();
    }

    @Override
    long read(List<KinesisRecord> records, Map<String, PartitionBatch> batch, Pipeline pipeline, LoadSession session)
            throws Exception {
        Decoder decoder = pipeline.decoder();
        RowSink rows = pipeline.rows();
        boolean withMetadata = pipeline.metadata();
        long bytes = 0;
        String shard = null;
        PartitionBatch pb = null;
        for (KinesisRecord r : records) {
            if (!r.shardId().equals(shard)) {
                shard = r.shardId();
                pb = batch.computeIfAbsent(shard, k -> new PartitionBatch());
            }
            byte[] value = r.data();
            pb.bytes += value.length;
            bytes += value.length;
            pb.lastSequence = r.sequenceNumber();
            long arrival = r.arrivalTimestamp() == null ? -1 : r.arrivalTimestamp().toEpochMilli();
            if (arrival > pb.maxTimestamp) {
                pb.maxTimestamp = arrival;
            }
            try {
                if (decoder == null) {
                    session.appendMessage(value);
                    pb.total++;
                    pb.loaded++;
                } else {
                    if (withMetadata) {
                        metadata.of(r);
                    }
                    rows.start(pb, shard, -1, value);
                    decoder.decode(value, rows);
                }
            } catch (DecodeException e) {
                pb.total++;
                pb.errors++;
                job.errorLog().add(shard, -1, "sequence number " + r.sequenceNumber() + ": " + e.reason(), value);
            } catch (SinkFailure e) {
                throw (Exception) e.getCause();
            }
        }
        return bytes;
    }
}
