package io.inlet.expr;

/**
 * The message whose rows are being evaluated, for the Kafka metadata functions. The task that decodes
 * messages sets it before each message (only when its mapping reads metadata); compiled expressions read it
 * when they run. Thread-confined like the evaluators that hold it.
 */
public final class CurrentMessage {

    private MessageMetadata message;

    public void set(MessageMetadata message) {
        this.message = message;
    }

    /** The current message, or null before the first one (or where nothing sets it). */
    public MessageMetadata get() {
        return message;
    }
}
