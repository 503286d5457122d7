package io.inlet.expr;

import java.util.Objects;

/** {@code left op right}: logic, comparison and arithmetic operators. */
public record BinaryOp(Op op, Expr left, Expr right, int line, int column) implements Expr {

    public enum Op {
        OR("OR", PREC_OR), AND("AND", PREC_AND),
        EQ("=", PREC_PREDICATE), NULL_SAFE_EQ("<=>", PREC_PREDICATE), NE("!=", PREC_PREDICATE),
        LT("<", PREC_PREDICATE), LE("<=", PREC_PREDICATE), GT(">", PREC_PREDICATE), GE(">=", PREC_PREDICATE),
        ADD("+", PREC_ADD), SUB("-", PREC_ADD),
        MUL("*", PREC_MUL), DIVIDE("/", PREC_MUL), INT_DIVIDE("DIV", PREC_MUL), MOD("%", PREC_MUL);

        public final String symbol;
        public final int precedence;

        Op(String symbol, int precedence) {
            this.symbol = symbol;
            this.precedence = precedence;
        }

        public boolean isComparison() {
            return precedence == PREC_PREDICATE;
        }
    }

    public BinaryOp {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
    }

    public BinaryOp(Op op, Expr left, Expr right) {
        this(op, left, right, 0, 0);
    }

    @Override
    public int precedence() {
        return op.precedence;
    }

    @Override
    public String toSql() {
        int p = op.precedence;
        // the right operand of a comparison is parsed at the additive level; others are left-associative
        int rightMin = op.isComparison() ? PREC_ADD : p + 1;
        return Expr.render(left, p) + " " + op.symbol + " " + Expr.render(right, rightMin);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryOp b && b.op == op && b.left.equals(left) && b.right.equals(right);
    }

    @Override
    public int hashCode() {
        return Objects.hash(op, left, right);
    }
}
