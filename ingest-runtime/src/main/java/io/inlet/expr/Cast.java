package io.inlet.expr;

import java.util.Objects;

/** {@code CAST(expr AS type)}; a value that cannot be converted yields NULL (use {@link Casts} for strict). */
public record Cast(Expr expr, SqlType type, int line, int column) implements Expr {
    public Cast {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(type, "type");
    }

    public Cast(Expr expr, SqlType type) {
        this(expr, type, 0, 0);
    }

    @Override
    public String toSql() {
        return "CAST(" + expr.toSql() + " AS " + type.toSql() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cast c && c.expr.equals(expr) && c.type.equals(type);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expr, type);
    }
}
