package io.inlet.expr;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** {@code expr [NOT] IN (v1, v2, ...)}. */
public record InList(Expr expr, List<Expr> values, boolean negated, int line, int column) implements Expr {
    public InList {
        Objects.requireNonNull(expr, "expr");
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("IN needs at least one value");
        }
    }

    public InList(Expr expr, List<Expr> values, boolean negated) {
        this(expr, values, negated, 0, 0);
    }

    @Override
    public int precedence() {
        return PREC_PREDICATE;
    }

    @Override
    public String toSql() {
        return Expr.render(expr, PREC_PREDICATE) + (negated ? " NOT IN (" : " IN (")
                + values.stream().map(Expr::toSql).collect(Collectors.joining(", ")) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InList i && i.negated == negated && i.expr.equals(expr) && i.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expr, values, negated);
    }
}
