package io.inlet.format;

/**
 * Turns one source message (a Kafka record value, a Kinesis record) into rows of source-column values.
 *
 * <p>One instance per task thread: implementations keep per-message scratch state and are not thread-safe.
 * A call either emits all rows of the message or throws {@link DecodeException} before emitting any, so a
 * rejected message never leaves partial rows behind.
 */
public interface Decoder {

    /**
     * Decodes one message into zero or more rows; each row has exactly {@link #columnCount()} values, in
     * source-column order. The array handed to {@code out} may be reused once {@code accept} returns.
     *
     * @throws DecodeException when the message is malformed or does not fit the spec; never any other
     *     exception for bad input
     */
    void decode(byte[] message, RowConsumer out) throws DecodeException;

    /** Number of values in every row this decoder emits. */
    int columnCount();
}
