package io.inlet.expr;

import java.util.Locale;

/**
 * A StarRocks column type, as used by {@code CAST(x AS type)} and by {@link Casts#cast}.
 *
 * <p>{@code length} is meaningful for CHAR/VARCHAR (bytes, as in StarRocks; {@code -1} = unbounded),
 * {@code precision}/{@code scale} for DECIMAL; other kinds carry zeros.
 */
public record SqlType(Kind kind, int length, int precision, int scale) {

    public enum Kind {
        BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, LARGEINT, FLOAT, DOUBLE, DECIMAL,
        CHAR, VARCHAR, STRING, DATE, DATETIME, JSON;

        public boolean isInteger() {
            return this == TINYINT || this == SMALLINT || this == INT || this == BIGINT || this == LARGEINT;
        }

        public boolean isNumeric() {
            return isInteger() || this == FLOAT || this == DOUBLE || this == DECIMAL;
        }

        public boolean isString() {
            return this == CHAR || this == VARCHAR || this == STRING;
        }
    }

    /** Longest VARCHAR StarRocks accepts (bytes). */
    public static final int MAX_VARCHAR_LENGTH = 1_048_576;
    public static final int MAX_CHAR_LENGTH = 255;
    public static final int MAX_DECIMAL_PRECISION = 38;

    public static final SqlType BOOLEAN = new SqlType(Kind.BOOLEAN, 0, 0, 0);
    public static final SqlType TINYINT = new SqlType(Kind.TINYINT, 0, 0, 0);
    public static final SqlType SMALLINT = new SqlType(Kind.SMALLINT, 0, 0, 0);
    public static final SqlType INT = new SqlType(Kind.INT, 0, 0, 0);
    public static final SqlType BIGINT = new SqlType(Kind.BIGINT, 0, 0, 0);
    public static final SqlType LARGEINT = new SqlType(Kind.LARGEINT, 0, 0, 0);
    public static final SqlType FLOAT = new SqlType(Kind.FLOAT, 0, 0, 0);
    public static final SqlType DOUBLE = new SqlType(Kind.DOUBLE, 0, 0, 0);
    public static final SqlType STRING = new SqlType(Kind.STRING, -1, 0, 0);
    public static final SqlType DATE = new SqlType(Kind.DATE, 0, 0, 0);
    public static final SqlType DATETIME = new SqlType(Kind.DATETIME, 0, 0, 0);
    public static final SqlType JSON = new SqlType(Kind.JSON, 0, 0, 0);

    public SqlType {
        if (kind == null) {
            throw new IllegalArgumentException("kind is required");
        }
        switch (kind) {
            case DECIMAL -> {
                if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
                    throw new IllegalArgumentException("DECIMAL precision must be between 1 and 38, got " + precision);
                }
                if (scale < 0 || scale > precision) {
                    throw new IllegalArgumentException(
                            "DECIMAL scale must be between 0 and the precision " + precision + ", got " + scale);
                }
                length = 0;
            }
            case CHAR -> {
                if (length < 1 || length > MAX_CHAR_LENGTH) {
                    throw new IllegalArgumentException("CHAR length must be between 1 and 255, got " + length);
                }
                precision = 0;
                scale = 0;
            }
            case VARCHAR -> {
                if (length != -1 && (length < 1 || length > MAX_VARCHAR_LENGTH)) {
                    throw new IllegalArgumentException(
                            "VARCHAR length must be between 1 and " + MAX_VARCHAR_LENGTH + ", got " + length);
                }
                precision = 0;
                scale = 0;
            }
            case STRING -> {
                length = -1;
                precision = 0;
                scale = 0;
            }
            default -> {
                length = 0;
                precision = 0;
                scale = 0;
            }
        }
    }

    public static SqlType of(Kind kind) {
        return switch (kind) {
            case BOOLEAN -> BOOLEAN;
            case TINYINT -> TINYINT;
            case SMALLINT -> SMALLINT;
            case INT -> INT;
            case BIGINT -> BIGINT;
            case LARGEINT -> LARGEINT;
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            case DECIMAL -> decimal(10, 0);
            case CHAR -> charType(1);
            case VARCHAR -> varchar(-1);
            case STRING -> STRING;
            case DATE -> DATE;
            case DATETIME -> DATETIME;
            case JSON -> JSON;
        };
    }

    /** VARCHAR(n); {@code n = -1} is VARCHAR without a length (unbounded). */
    public static SqlType varchar(int length) {
        return new SqlType(Kind.VARCHAR, length, 0, 0);
    }

    public static SqlType charType(int length) {
        return new SqlType(Kind.CHAR, length, 0, 0);
    }

    public static SqlType decimal(int precision, int scale) {
        return new SqlType(Kind.DECIMAL, 0, precision, scale);
    }

    /** StarRocks spelling: {@code INT}, {@code VARCHAR(50)}, {@code DECIMAL(10,2)}. */
    public String toSql() {
        return switch (kind) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case CHAR -> "CHAR(" + length + ")";
            case VARCHAR -> length < 0 ? "VARCHAR" : "VARCHAR(" + length + ")";
            default -> kind.name();
        };
    }

    @Override
    public String toString() {
        return toSql();
    }

    /** The type names {@code CAST} understands, upper case, for error messages. */
    public static String knownNames() {
        return "BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, LARGEINT, FLOAT, DOUBLE, DECIMAL(p,s), CHAR(n), "
                + "VARCHAR(n), STRING, DATE, DATETIME, JSON";
    }

    /**
     * Maps a type name (any case, without parameters) to its kind; aliases such as INTEGER, TEXT,
     * SIGNED, DECIMALV2, DECIMAL64 or TIMESTAMP are understood. Returns null when unknown.
     */
    public static Kind kindOf(String name) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "BOOLEAN", "BOOL" -> Kind.BOOLEAN;
            case "TINYINT" -> Kind.TINYINT;
            case "SMALLINT" -> Kind.SMALLINT;
            case "INT", "INTEGER" -> Kind.INT;
            case "BIGINT", "SIGNED", "UNSIGNED" -> Kind.BIGINT;
            case "LARGEINT" -> Kind.LARGEINT;
            case "FLOAT", "REAL" -> Kind.FLOAT;
            case "DOUBLE" -> Kind.DOUBLE;
            case "DECIMAL", "DECIMALV2", "DECIMAL32", "DECIMAL64", "DECIMAL128", "NUMERIC" -> Kind.DECIMAL;
            case "CHAR" -> Kind.CHAR;
            case "VARCHAR" -> Kind.VARCHAR;
            case "STRING", "TEXT" -> Kind.STRING;
            case "DATE" -> Kind.DATE;
            case "DATETIME", "TIMESTAMP" -> Kind.DATETIME;
            case "JSON" -> Kind.JSON;
            default -> null;
        };
    }
}
