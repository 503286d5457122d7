package io.inlet.expr;

import java.util.List;
import java.util.Objects;

/**
 * {@code CASE [operand] WHEN w THEN t ... [ELSE e] END}. With an operand it is the simple form (compare the
 * operand with each {@code when}); without, the searched form (each {@code when} is a condition).
 */
public record CaseWhen(Expr operand, List<When> whens, Expr elseExpr, int line, int column) implements Expr {

    public record When(Expr when, Expr then) {
        public When {
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(then, "then");
        }
    }

    public CaseWhen {
        whens = List.copyOf(whens);
        if (whens.isEmpty()) {
            throw new IllegalArgumentException("CASE needs at least one WHEN");
        }
    }

    public CaseWhen(Expr operand, List<When> whens, Expr elseExpr) {
        this(operand, whens, elseExpr, 0, 0);
    }

    @Override
    public String toSql() {
        StringBuilder sb = new StringBuilder("CASE");
        if (operand != null) {
            sb.append(' ').append(operand.toSql());
        }
        for (When w : whens) {
            sb.append(" WHEN ").append(w.when.toSql()).append(" THEN ").append(w.then.toSql());
        }
        if (elseExpr != null) {
            sb.append(" ELSE ").append(elseExpr.toSql());
        }
        return sb.append(" END").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaseWhen c && Objects.equals(c.operand, operand) && c.whens.equals(whens)
                && Objects.equals(c.elseExpr, elseExpr);
    }

    @Override
    public int hashCode() {
        return Objects.hash(operand, whens, elseExpr);
    }
}
