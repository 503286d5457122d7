package io.inlet.job;

import io.inlet.expr.MessageMetadata;
import io.inlet.format.DecodeException;
import io.inlet.format.Decoder;
import io.inlet.sink.LoadSession;
import io.inlet.source.kafka.GroupMember;
import io.inlet.source.kafka.KafkaRecordMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** A task of a Kafka job: its partitions' records come through its lane of the job's group member. */
final class KafkaLoadTask extends LoadTask<ConsumerRecords<byte[], byte[]>> {

    private final GroupMember.Lane lane;
    private final KafkaRecordMetadata metadata = new KafkaRecordMetadata();

    /** @param starts the task's partitions and the offset each starts at; the lane is positioned there */
    KafkaLoadTask(RoutineLoadJob job, long assignment, int index, Map<Integer, Long> starts, long generation,
                  GroupMember.Lane lane, TaskSlots slots) {
        super(job, assignment, index, names(starts), generation, slots);
        this.lane = lane;
    }

    private static Map<String, String> names(Map<Integer, Long> offsets) {
        Map<String, String> out = new LinkedHashMap<>();
        offsets.forEach((p, o) -> out.put(String.valueOf(p), String.valueOf(o)));
        return out;
    }

    @Override
    ConsumerRecords<byte[], byte[]> poll() throws Exception {
        return lane.poll();
    }

    @Override
    ConsumerRecords<byte[], byte[]> next(long waitMs) throws Exception {
        return lane.next(waitMs);
    }

    @Override
    boolean isEmpty(ConsumerRecords<byte[], byte[]> records) {
        return records.isEmpty();
    }

    @Override
    int count(ConsumerRecords<byte[], byte[]> records) {
        return records.count();
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
        Map<Integer, Long> offsets = new HashMap<>();
        positions.forEach((p, o) -> offsets.put(Integer.parseInt(p), Long.parseLong(o)));
        lane.rewind(offsets);
    }

    @Override
    MessageMetadata metadata() {
        return metadata;
    }

    @Override
    String noNewData(long batchIntervalSeconds) {
        return "there is no new data in kafka, wait for " + batchIntervalSeconds + " seconds to schedule again";
    }

    @Override
    String end(PartitionBatch pb) {
        return String.valueOf(pb.nextOffset);
    }

    @Override
    void observeLag() {
        GroupMember member = job.member();
        if (member != null) {
            job.observeLag(member.lag());
        }
    }

    /** Mirrors the committed offsets to the consumer group, for lag tools, unless the store wrote them there. */
    @Override
    void committed(Map<String, String> ends) {
        GroupMember member = job.member();
        if (!job.positionStore().ownsGroupOffsets() && member != null) {
            Map<TopicPartition, OffsetAndMetadata> mirrored = new HashMap<>();
            ends.forEach((p, o) -> mirrored.put(new TopicPartition(job.source().topic(), Integer.parseInt(p)),
                    new OffsetAndMetadata(Long.parseLong(o))));
            member.commitAsync(mirrored);
        }
    }

    @Override
    long read(ConsumerRecords<byte[], byte[]> records, Map<String, PartitionBatch> batch, Pipeline pipeline,
              LoadSession session) throws Exception {
        Decoder decoder = pipeline.decoder();
        RowSink rows = pipeline.rows();
        boolean withMetadata = pipeline.metadata();
        long bytes = 0;
        for (TopicPartition tp : records.partitions()) {
            String partition = String.valueOf(tp.partition());
            PartitionBatch pb = batch.computeIfAbsent(partition, k -> new PartitionBatch());
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                byte[] value = r.value();
                int size = value == null ? 0 : value.length;
                pb.bytes += size;
                bytes += size;
                pb.nextOffset = r.offset() + 1;
                if (r.timestamp() > pb.maxTimestamp) {
                    pb.maxTimestamp = r.timestamp();
                }
                if (value == null) {
                    pb.total++;
                    pb.errors++;
                    job.errorLog().add(partition, r.offset(), "the message has no value", null);
                    continue;
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
                        rows.start(pb, partition, r.offset(), value);
                        decoder.decode(value, rows);
                    }
                } catch (DecodeException e) {
                    pb.total++;
                    pb.errors++;
                    job.errorLog().add(partition, r.offset(), e.reason(), value);
                } catch (SinkFailure e) {
                    throw (Exception) e.getCause();
                }
            }
        }
        return bytes;
    }
}
