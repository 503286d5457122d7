package io.inlet.expr;

import java.util.Objects;

/** {@code expr [NOT] LIKE pattern}: {@code %} any run, {@code _} one character, {@code \} escapes. */
public record Like(Expr expr, Expr pattern, boolean negated, int line, int column) implements Expr {
    public Like {
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(pattern, "pattern");
    }

    public Like(Expr expr, Expr pattern, boolean negated) {
        this(expr, pattern, negated, 0, 0);
    }

    @Override
    public int precedence() {
        return PREC_PREDICATE;
    }

    @Override
    public String toSql() {
        return Expr.render(expr, PREC_PREDICATE) + (negated ? " NOT LIKE " : " LIKE ")
                + Expr.render(pattern, PREC_ADD);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Like l && l.negated == negated && l.expr.equals(expr) && l.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(expr, pattern, negated);
    }
}
