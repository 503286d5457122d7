package io.inlet.expr;

import java.util.Objects;

/** {@code NOT x} or {@code -x}. */
public record UnaryOp(Op op, Expr operand, int line, int column) implements Expr {

    public enum Op { NOT, NEGATE }

    public UnaryOp {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(operand, "operand");
    }

    public UnaryOp(Op op, Expr operand) {
        this(op, operand, 0, 0);
    }

    @Override
    public int precedence() {
        return op == Op.NOT ? PREC_NOT : PREC_UNARY;
    }

    @Override
    public String toSql() {
        if (op == Op.NOT) {
            return "NOT " + Expr.render(operand, PREC_NOT);
        }
        String s = Expr.render(operand, PREC_UNARY);
        if (operand instanceof Literal l && l.value() instanceof Number && !s.startsWith("-")) {
            return "-(" + s + ")"; // "-5" would parse back as the literal -5
        }
        return s.startsWith("-") ? "- " + s : "-" + s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnaryOp u && u.op == op && u.operand.equals(operand);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, operand);
    }
}
