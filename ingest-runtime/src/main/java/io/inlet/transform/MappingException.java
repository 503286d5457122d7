package io.inlet.transform;

/**
 * The job's COLUMNS or WHERE do not fit the target table. {@link #line()} and {@link #column()} locate the
 * mapping in the statement (1-based; 0 if unknown).
 */
public class MappingException extends RuntimeException {
    private final int line;
    private final int column;

    public MappingException(String message) {
        this(message, 0, 0);
    }

    public MappingException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
