package io.inlet.source.kafka;

/** A job's position is out of range and its policy is to pause: a user decides where to go on from. */
public final class OffsetsOutOfRangeException extends SourceException {
    public OffsetsOutOfRangeException(String message) {
        super(message);
    }
}
