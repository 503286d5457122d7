package io.inlet.format;

/**
 * Receives the rows of a decoded message. The {@code values} array (and only the array, not the values) may
 * be reused by the decoder after {@code accept} returns: consumers copy what they keep.
 */
@FunctionalInterface
public interface RowConsumer {
    void accept(Object[] values);
}
