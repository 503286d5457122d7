package io.inlet.sql;

import io.inlet.expr.Expr;
import io.inlet.expr.SqlText;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The load clauses of CREATE/ALTER ROUTINE LOAD: {@code COLUMNS TERMINATED BY}, {@code ROWS TERMINATED BY},
 * {@code COLUMNS (...)}, {@code WHERE}, {@code [TEMPORARY] PARTITION (...)}. Separators are kept as written
 * after SQL unescaping, so {@code '\x01'} is the four characters {@code \x01}. Absent clauses are null/empty.
 */
public record LoadDescription(String columnSeparator, String rowDelimiter, List<ColumnMapping> columns, Expr where,
                              List<String> partitions, boolean temporaryPartitions) {

    public static final LoadDescription EMPTY = new LoadDescription(null, null, List.of(), null, List.of(), false);

    public LoadDescription {
        columns = columns == null ? List.of() : List.copyOf(columns);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
    }

    public boolean isEmpty() {
        return columnSeparator == null && rowDelimiter == null && columns.isEmpty() && where == null
                && partitions.isEmpty();
    }

    /** The COLUMNS list as {@code a, b, c = expr} (the Stream Load {@code columns} header), or null. */
    public String columnsSql() {
        return columns.isEmpty() ? null : columns.stream().map(ColumnMapping::toSql).collect(Collectors.joining(", "));
    }

    /** The clauses, each rendered, in canonical order. */
    public List<String> clausesSql() {
        List<String> out = new ArrayList<>();
        if (columnSeparator != null) {
            out.add("COLUMNS TERMINATED BY " + SqlText.quote(columnSeparator));
        }
        if (rowDelimiter != null) {
            out.add("ROWS TERMINATED BY " + SqlText.quote(rowDelimiter));
        }
        if (!columns.isEmpty()) {
            out.add("COLUMNS (" + columnsSql() + ")");
        }
        if (where != null) {
            out.add("WHERE " + where.toSql());
        }
        if (!partitions.isEmpty()) {
            out.add((temporaryPartitions ? "TEMPORARY PARTITION (" : "PARTITION (")
                    + partitions.stream().map(SqlText::ident).collect(Collectors.joining(", ")) + ")");
        }
        return out;
    }

    /** This description with every clause given in {@code changes} replacing the one here (ALTER). */
    public LoadDescription mergedWith(LoadDescription changes) {
        return new LoadDescription(
                changes.columnSeparator != null ? changes.columnSeparator : columnSeparator,
                changes.rowDelimiter != null ? changes.rowDelimiter : rowDelimiter,
                !changes.columns.isEmpty() ? changes.columns : columns,
                changes.where != null ? changes.where : where,
                !changes.partitions.isEmpty() ? changes.partitions : partitions,
                !changes.partitions.isEmpty() ? changes.temporaryPartitions : temporaryPartitions);
    }
}
