package io.inlet.sink;

import java.util.List;

/**
 * A target table: where it is and its columns in table order (for a job: the columns it writes).
 *
 * @param describedColumns how many columns the table had when the warehouse described it, so that a load
 *                         can tell that the table has changed since
 */
public record TableSchema(String schema, String table, List<ColumnDef> columns, int describedColumns) {

    public TableSchema {
        columns = List.copyOf(columns);
    }

    public TableSchema(String schema, String table, List<ColumnDef> columns) {
        this(schema, table, columns, columns.size());
    }

    /** The same table with only {@code written} of its columns. */
    public TableSchema withColumns(List<ColumnDef> written) {
        return new TableSchema(schema, table, written, describedColumns);
    }

    /** The column's position, matching names case-insensitively as the warehouses do; -1 if absent. */
    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    public String qualifiedName() {
        return schema == null ? table : schema + "." + table;
    }
}
