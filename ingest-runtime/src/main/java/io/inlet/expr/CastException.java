package io.inlet.expr;

/**
 * A value that cannot be converted to the target type, with a short reason such as
 * {@code 'abc' is not a valid INT}. Thrown per bad row, so it carries no stack trace.
 */
public class CastException extends Exception {
    public CastException(String reason) {
        super(reason, null, false, false);
    }

    public String reason() {
        return getMessage();
    }
}
