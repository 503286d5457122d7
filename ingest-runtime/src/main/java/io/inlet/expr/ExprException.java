package io.inlet.expr;

/**
 * An expression that cannot be compiled: unknown column or function, wrong number of arguments, an invalid
 * constant argument. {@link #line()} and {@link #column()} locate the offending node (1-based; 0 if unknown).
 */
public class ExprException extends RuntimeException {
    private final int line;
    private final int column;
    private final String reason;

    public ExprException(String reason, int line, int column) {
        super(line > 0 ? "line " + line + ", column " + column + ": " + reason : reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public ExprException(String reason, Expr at) {
        this(reason, at.line(), at.column());
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
