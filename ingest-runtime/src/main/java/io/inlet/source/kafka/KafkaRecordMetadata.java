package io.inlet.source.kafka;

import io.inlet.expr.MessageMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

/**
 * The metadata of the Kafka record being decoded, read from the record itself when a function asks: the task
 * points it at each record in turn ({@link #of}), which costs one field store and copies nothing.
 */
public final class KafkaRecordMetadata implements MessageMetadata {

    private ConsumerRecord<byte[], byte[]> record;

    /** Makes {@code r} the current record. */
    public void of(ConsumerRecord<byte[], byte[]> r) {
        this.record = r;
    }

    @Override
    public byte[] key() {
        return record.key();
    }

    @Override
    public byte[] header(String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : h.value();
    }

    @Override
    public long timestamp() {
        return record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? -1 : record.timestamp();
    }

    @Override
    public String timestampType() {
        return record.timestampType() == TimestampType.NO_TIMESTAMP_TYPE ? null : record.timestampType().name;
    }

    @Override
    public int partition() {
        return record.partition();
    }

    @Override
    public long offset() {
        return record.offset();
    }
}
