package io.inlet.sql;

/**
 * A statement that cannot be parsed or fails validation. {@link #line()} and {@link #column()} are 1-based and
 * point at the offending token (for a missing required property: the FROM clause); the message is
 * {@code "line L, column C: reason"}. Secret property values never appear in the reason.
 */
public class StatementException extends RuntimeException {
    private final int line;
    private final int column;
    private final String reason;

    public StatementException(int line, int column, String reason) {
        super("line " + line + ", column " + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
