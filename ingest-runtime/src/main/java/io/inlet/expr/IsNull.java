package io.inlet.expr;

import java.util.Objects;

/** {@code expr IS [NOT] NULL}. */
public record IsNull(Expr expr, boolean negated, int line, int column) implements Expr {
    public IsNull {
        Objects.requireNonNull(expr, "expr");
    }

    public IsNull(Expr expr, boolean negated) {
        this(expr, negated, 0, 0);
    }

    @Override
    public int precedence() {
        return PREC_PREDICATE;
    }

    @Override
    public String toSql() {
        return Expr.render(expr, PREC_PREDICATE) + (negated ? " IS NOT NULL" : " IS NULL");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IsNull i && i.negated == negated && i.expr.equals(expr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expr, negated);
    }
}
