/**
 * Expressions of COLUMNS mappings and WHERE clauses: the {@link io.inlet.expr.Expr} tree (rendered back to
 * StarRocks SQL by {@code toSql()}), {@link io.inlet.expr.ExprCompiler} which compiles a tree once into an
 * {@link io.inlet.expr.Evaluator} run per row with StarRocks semantics (implicit casts, NULL propagation,
 * three-valued logic, MySQL date formats, the job time zone), and {@link io.inlet.expr.Casts}, the strict
 * conversion to column types.
 */
package io.inlet.expr;
