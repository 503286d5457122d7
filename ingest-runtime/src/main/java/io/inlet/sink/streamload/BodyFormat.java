package io.inlet.sink.streamload;

import io.inlet.format.DecodeException;
import io.inlet.format.json.JsonShape;


/**
 * How the messages of a batch are joined into one Stream Load body, and what each must look like
 * to be joined: JSON objects as one array, JSON documents one per line, or CSV rows joined with
 * the row delimiter (each row terminated, as the transaction interface wants).
 */
record BodyFormat(Kind kind, byte[] prefix, byte[] separator, byte[] suffix) {

    enum Kind { JSON_ARRAY, JSON_LINES, CSV }

    static BodyFormat jsonArray() {
        return new BodyFormat(Kind.JSON_ARRAY, new byte[]{'['}, new byte[]{','}, new byte[]{']'});
    }

    /** One document per line (json_root, or messages that are arrays themselves: strip_outer_array). */
    static BodyFormat jsonLines() {
        return new BodyFormat(Kind.JSON_LINES, new byte[0], new byte[]{'\n'}, new byte[]{'\n'});
    }

    static BodyFormat csv(byte[] rowDelimiter) {
        return new BodyFormat(Kind.CSV, new byte[0], rowDelimiter, rowDelimiter);
    }

    /**
     * Adds a message to the batch: a JSON message must be one complete document (an array is
     * accepted on the line-per-document form, where strip_outer_array applies to each); a CSV
     * message loses a trailing row delimiter, which the framing adds back. False when the load
     * request has ended before the body did.
     */
    boolean add(byte[] message, BodyPipe batch) throws DecodeException, InterruptedException {
        switch (kind) {
            case JSON_ARRAY, JSON_LINES -> {
                String problem = JsonShape.problem(message, kind == Kind.JSON_LINES);
                if (problem != null) {
                    throw new DecodeException(problem);
                }
                return batch.add(message, 0, message.length);
            }
            default -> {
                int len = endsWith(message, separator) ? message.length - separator.length : message.length;
                if (len == 0) {
                    throw new DecodeException("the message is empty");
                }
                return batch.add(message, 0, len);
            }
        }
    }

    private static boolean endsWith(byte[] m, byte[] suffix) {
        if (m.length < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (m[m.length - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
