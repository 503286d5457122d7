package io.inlet.expr;

/**
 * A compiled expression. Instances are thread-confined (they may keep small caches): compile once per job
 * and thread with {@link ExprCompiler#compile}, then call {@link #eval} per row. Evaluation never throws for
 * bad data: a conversion that fails yields {@code null}, as in StarRocks.
 */
@FunctionalInterface
public interface Evaluator {
    Object eval(Object[] row);
}
