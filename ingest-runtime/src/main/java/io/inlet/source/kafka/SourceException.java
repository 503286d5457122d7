package io.inlet.source.kafka;

/** The source cannot be read: a message that names the cause and what to check, never a stack trace. */
public class SourceException extends Exception {
    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceException(String message) {
        super(message);
    }
}
