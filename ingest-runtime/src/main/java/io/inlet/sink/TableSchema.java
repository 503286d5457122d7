package io.inlet.sink;

import java.util.List;

/** A target table: where it is and its columns in table order. */
public record TableSchema(String schema, String table, List<ColumnDef> columns) {

    public TableSchema {
        columns = List.copyOf(columns);
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
