package io.inlet.sql;

import io.inlet.expr.Expr;
import io.inlet.expr.SqlText;

import java.util.Objects;

/** One COLUMNS entry: a source column ({@code expr == null}) or a derived column {@code name = expr}. */
public record ColumnMapping(String name, Expr expr) {
    public ColumnMapping {
        Objects.requireNonNull(name, "name");
    }

    public boolean isDerived() {
        return expr != null;
    }

    /** {@code name} or {@code name = expr}, as in the COLUMNS clause and the Stream Load columns header. */
    public String toSql() {
        return expr == null ? SqlText.ident(name) : SqlText.ident(name) + " = " + expr.toSql();
    }
}
