package io.inlet.expr;

/**
 * What the source says about the message a row was decoded from: its key, headers, timestamp, partition and
 * offset, read by {@code kafka_key()}, {@code kafka_header('name')}, {@code kafka_timestamp()},
 * {@code kafka_timestamp_type()}, {@code kafka_partition()} and {@code kafka_offset()}. Implementations read
 * the source's record lazily: nothing is copied or converted unless a function asks.
 */
public interface MessageMetadata {

    /** The key's bytes, or null when the message has none. */
    byte[] key();

    /** The value of the last header named {@code name} (Kafka allows repeats), or null when there is none. */
    byte[] header(String name);

    /** Epoch milliseconds, or a negative number when the message has no timestamp. */
    long timestamp();

    /** {@code CreateTime}, {@code LogAppendTime}, or null when the message has no timestamp. */
    String timestampType();

    int partition();

    long offset();
}
