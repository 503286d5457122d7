package io.inlet.format;

/**
 * A message could not be decoded. {@link #reason()} is short and human-readable, e.g.
 * {@code "malformed JSON at byte 17: unexpected character ','"} or {@code "expected 6 columns, found 5"};
 * it ends up in error logs and {@code SHOW ROUTINE LOAD}.
 *
 * <p>Bad messages can be frequent on a bad topic, so the exception carries no stack trace.
 */
public class DecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public DecodeException(String reason) {
        super(reason, null, false, false);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
