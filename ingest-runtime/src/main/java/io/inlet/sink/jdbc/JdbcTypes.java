package io.inlet.sink.jdbc;

import io.inlet.expr.SqlType;
import io.inlet.expr.SqlType.Kind;

import java.util.Locale;

/**
 * Maps the type names of information_schema (DuckDB and PostgreSQL spellings) to {@link SqlType}: the type
 * of the values Inlet converts a column's input to. Every type maps: arrays and DuckDB's nested types
 * (LIST, ARRAY, STRUCT, MAP, UNION) take JSON values; any other type Inlet has no value type for
 * (interval, time, inet, enums, ...) takes text, which the warehouse reads in its own text form.
 */
final class JdbcTypes {

    private JdbcTypes() {}

    static SqlType of(String dataType, Integer charLength, Integer precision, Integer scale) {
        String t = dataType.toLowerCase(Locale.ROOT).trim();
        int paren = t.indexOf('(');
        String base = paren < 0 ? t : t.substring(0, paren).trim();
        if (paren >= 0 && (base.equals("decimal") || base.equals("numeric"))) {
            String[] ps = t.substring(paren + 1, t.indexOf(')')).split(",");
            precision = Integer.parseInt(ps[0].trim());
            scale = ps.length > 1 ? Integer.parseInt(ps[1].trim()) : 0;
        }
        int len = charLength == null ? 0 : charLength;
        if (t.endsWith("]")) {
            return type(Kind.JSON);
        }
        return switch (base) {
            case "boolean", "bool" -> type(Kind.BOOLEAN);
            case "tinyint", "int1" -> type(Kind.TINYINT);
            case "smallint", "int2", "short" -> type(Kind.SMALLINT);
            case "integer", "int", "int4", "signed" -> type(Kind.INT);
            case "bigint", "int8", "long" -> type(Kind.BIGINT);
            case "hugeint", "int128" -> type(Kind.LARGEINT);
            case "real", "float4", "float" -> type(Kind.FLOAT);
            case "double", "double precision", "float8" -> type(Kind.DOUBLE);
            case "decimal", "numeric" -> new SqlType(Kind.DECIMAL, 0,
                    precision == null ? 38 : precision, scale == null ? 0 : scale);
            case "character", "char", "bpchar" -> new SqlType(Kind.CHAR, len, 0, 0);
            case "character varying", "varchar" -> len > 0 ? new SqlType(Kind.VARCHAR, len, 0, 0) : type(Kind.STRING);
            case "text", "string", "uuid" -> type(Kind.STRING);
            case "date" -> type(Kind.DATE);
            case "timestamp", "timestamp without time zone", "datetime", "timestamp with time zone",
                 "timestamptz", "timestamp_s", "timestamp_ms", "timestamp_ns" -> type(Kind.DATETIME);
            case "json", "jsonb", "array", "struct", "map", "union" -> type(Kind.JSON);
            default -> type(Kind.STRING);
        };
    }

    private static SqlType type(Kind kind) {
        return new SqlType(kind, 0, 0, 0);
    }
}
