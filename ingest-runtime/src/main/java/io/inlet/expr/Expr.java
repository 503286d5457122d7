package io.inlet.expr;

/**
 * A parsed expression of a COLUMNS mapping or a WHERE clause. Nodes are immutable records;
 * {@link #line()} and {@link #column()} locate the node in the statement text (1-based) and do not take part
 * in {@code equals}, so a statement re-parsed from its canonical text equals the original.
 *
 * <p>{@link #toSql()} renders StarRocks-compatible SQL with the fewest parentheses that parse back to the
 * same tree; the text can be pushed down to a warehouse (Stream Load {@code columns} / {@code where}).
 */
public sealed interface Expr permits ColumnRef, Literal, BinaryOp, UnaryOp, FunctionCall, CaseWhen, Cast, InList,
        Between, IsNull, Like {

    /** Binding strength used for rendering: OR 1, AND 3, NOT 4, predicates 5, + - 7, * / 8, unary 9, atoms 10. */
    int PREC_OR = 1;
    int PREC_AND = 3;
    int PREC_NOT = 4;
    int PREC_PREDICATE = 5;
    int PREC_ADD = 7;
    int PREC_MUL = 8;
    int PREC_UNARY = 9;
    int PREC_ATOM = 10;

    String toSql();

    int line();

    int column();

    /** How tightly this node binds when rendered (see the PREC_ constants). */
    default int precedence() {
        return PREC_ATOM;
    }

    /** Renders {@code e}, in parentheses when it binds less tightly than {@code min}. */
    static String render(Expr e, int min) {
        String s = e.toSql();
        return e.precedence() < min ? "(" + s + ")" : s;
    }
}
