package io.inlet.sink.jdbc;

import io.inlet.expr.SqlType.Kind;
import io.inlet.sink.ColumnDef;
import io.inlet.sink.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static io.inlet.sink.jdbc.PostgresWarehouse.quoteIdent;

/**
 * How a DuckDB session writes its columns, read once when it opens. DuckDB's Appender fills every column of
 * its table (its {@code appendDefault} gives a sequence's nextval as 0) and takes a value only of the
 * column's exact type (no text for UUID, TIME, BLOB, LIST, ...; no INTERVAL, BIT or BIGNUM column at all).
 * When the job leaves defaulted columns out, or a column is of such a type, rows are appended into a
 * connection-local staging table that holds those columns as VARCHAR, and one INSERT ... SELECT per batch
 * moves them into the table, where DuckDB applies the defaults and casts the text (JSON for nested types).
 */
record DuckDbColumns(TableSchema table, List<String> dataTypes, int writableColumns) {

    static final String STAGING_CATALOG = "temp";
    static final String STAGING_SCHEMA = "main";
    static final String STAGING_TABLE = "inlet_stage";
    static final String STAGING = STAGING_CATALOG + "." + STAGING_SCHEMA + "." + STAGING_TABLE;

    /** The table's DuckDB types of the session's columns, and how many columns the Appender would fill. */
    static DuckDbColumns read(Connection c, TableSchema table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        int writable = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type, is_generated"
                + " FROM information_schema.columns WHERE lower(table_schema) = lower(?) AND lower(table_name) = lower(?)")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    types.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getString(2));
                    if (!"ALWAYS".equalsIgnoreCase(rs.getString(3))) {
                        writable++;
                    }
                }
            }
        }
        List<String> dataTypes = new ArrayList<>();
        for (ColumnDef column : table.columns()) {
            String type = types.get(column.name().toLowerCase(Locale.ROOT));
            if (type == null) {
                throw new SQLException("column " + column.name() + " of " + table.qualifiedName() + " no longer exists");
            }
            dataTypes.add(type);
        }
        return new DuckDbColumns(table, List.copyOf(dataTypes), writable);
    }

    boolean[] microsTimestamps() {
        boolean[] out = new boolean[dataTypes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dataTypes.get(i).equals("TIMESTAMP");
        }
        return out;
    }

    /** Whether the Appender takes the column's values (as {@code DuckDbWarehouse} converts them) as they are. */
    boolean appendsDirectly(int column) {
        String type = dataTypes.get(column);
        Kind kind = table.columns().get(column).type().kind();
        if (kind.isString()) {
            return type.equals("VARCHAR") || type.startsWith("ENUM(");
        }
        if (kind == Kind.JSON) {
            return type.equals("JSON") || type.equals("VARCHAR");
        }
        return true;
    }

    boolean needsStaging() {
        if (table.columns().size() < writableColumns) {
            return true;
        }
        for (int i = 0; i < dataTypes.size(); i++) {
            if (!appendsDirectly(i)) {
                return true;
            }
        }
        return false;
    }

    /** Creates the session's staging table; returns the INSERT ... SELECT that moves a batch into the table. */
    String createStaging(Connection c) throws SQLException {
        String target = quoteIdent(table.schema()) + "." + quoteIdent(table.table());
        StringBuilder staged = new StringBuilder();
        StringBuilder converted = new StringBuilder();
        for (int i = 0; i < dataTypes.size(); i++) {
            String name = quoteIdent(table.columns().get(i).name());
            String sep = i == 0 ? "" : ", ";
            if (appendsDirectly(i)) {
                staged.append(sep).append(name);
                converted.append(sep).append(name);
            } else {
                staged.append(sep).append("CAST(NULL AS VARCHAR) AS ").append(name);
                String text = table.columns().get(i).type().kind() == Kind.JSON ? "CAST(" + name + " AS JSON)" : name;
                converted.append(sep).append("CAST(").append(text).append(" AS ").append(dataTypes.get(i)).append(")");
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE TEMP TABLE " + STAGING_TABLE + " AS SELECT " + staged + " FROM " + target
                    + " LIMIT 0");
        }
        return "INSERT INTO " + target + " (" + table.columns().stream().map(col -> quoteIdent(col.name()))
                .collect(Collectors.joining(", ")) + ") SELECT " + converted + " FROM " + STAGING;
    }
}
