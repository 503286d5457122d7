package io.inlet.sink;

import io.inlet.expr.SqlType;

/**
 * One column of a target table, as the warehouse describes it.
 *
 * @param fill what the warehouse puts in the column when a load does not give it a value
 */
public record ColumnDef(String name, SqlType type, boolean nullable, Fill fill) {

    /** What a column holds when a load leaves it out. */
    public enum Fill {
        /** No default: NULL. */
        NULL,
        /** A DEFAULT expression, serial or identity BY DEFAULT: the warehouse applies it to rows that leave it out. */
        DEFAULT,
        /** Generated or identity ALWAYS: the warehouse computes it and takes no value from a load. */
        GENERATED
    }

    public ColumnDef {
        if (fill == null) {
            throw new IllegalArgumentException("fill is required");
        }
    }

    public ColumnDef(String name, SqlType type, boolean nullable) {
        this(name, type, nullable, Fill.NULL);
    }
}
