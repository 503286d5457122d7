package io.inlet.expr;

import java.util.Objects;

/** A reference to a source or derived column by name. */
public record ColumnRef(String name, int line, int column) implements Expr {
    public ColumnRef {
        Objects.requireNonNull(name, "name");
    }

    public ColumnRef(String name) {
        this(name, 0, 0);
    }

    @Override
    public String toSql() {
        return SqlText.ident(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ColumnRef c && c.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
