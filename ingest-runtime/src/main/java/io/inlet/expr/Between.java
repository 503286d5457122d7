package io.inlet.expr;

import java.util.Objects;

/** {@code expr [NOT] BETWEEN low AND high}. */
public record Between(Expr expr, Expr low, Expr high, boolean negated, int line, int column) implements Expr {
    public Between {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(low, "low");
        Objects.requireNonNull(high, "high");
    }

    public Between(Expr expr, Expr low, Expr high, boolean negated) {
        this(expr, low, high, negated, 0, 0);
    }

    @Override
    public int precedence() {
        return PREC_PREDICATE;
    }

    @Override
    public String toSql() {
        return Expr.render(expr, PREC_PREDICATE) + (negated ? " NOT BETWEEN " : " BETWEEN ")
                + Expr.render(low, PREC_ADD) + " AND " + Expr.render(high, PREC_ADD);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Between b && b.negated == negated && b.expr.equals(expr) && b.low.equals(low)
                && b.high.equals(high);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expr, low, high, negated);
    }
}
