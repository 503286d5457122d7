package io.inlet.sink;

import io.inlet.expr.SqlType;

/** One column of a target table, as the warehouse describes it. */
public record ColumnDef(String name, SqlType type, boolean nullable) {}
