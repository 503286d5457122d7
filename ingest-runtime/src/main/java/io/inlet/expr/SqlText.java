package io.inlet.expr;

import java.util.Locale;
import java.util.Set;

/** Rendering helpers shared by expressions and statements: identifier and string quoting. */
public final class SqlText {
    private SqlText() {
    }

    /**
     * Words the expression grammar gives a meaning to: they cannot be a bare column name inside an
     * expression (write {@code `end`} instead).
     */
    private static final Set<String> EXPR_RESERVED = Set.of(
            "AND", "OR", "NOT", "XOR", "NULL", "TRUE", "FALSE", "CASE", "WHEN", "THEN", "ELSE", "END", "IS", "IN",
            "BETWEEN", "LIKE", "REGEXP", "RLIKE", "DIV", "MOD", "CAST", "INTERVAL", "BINARY", "EXISTS",
            "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "LOCALTIME", "LOCALTIMESTAMP");

    /**
     * Words rendered in backquotes: the expression words plus the statement keywords and StarRocks /
     * Doris reserved words, so that rendered text is also safe to push down to the warehouse.
     */
    private static final Set<String> QUOTED = Set.of(
            "ADD", "ALL", "ALTER", "ANALYZE", "AND", "ANY", "ARRAY", "AS", "ASC", "BETWEEN", "BIGINT", "BINARY",
            "BITMAP", "BOOLEAN", "BOTH", "BY", "CASE", "CAST", "CHAR", "CHARACTER", "CHECK", "COLLATE", "COLUMN",
            "COLUMNS", "COMMENT", "CONVERT", "CREATE", "CROSS", "CUBE", "CURRENT_DATE", "CURRENT_TIME",
            "CURRENT_TIMESTAMP", "CURRENT_USER", "DATABASE", "DATABASES", "DATE", "DATETIME", "DECIMAL", "DEFAULT",
            "DELETE", "DESC", "DESCRIBE", "DISTINCT", "DISTRIBUTED", "DIV", "DOUBLE", "DROP", "DUAL", "ELSE",
            "END", "EXCEPT", "EXISTS", "EXPLAIN", "FALSE", "FILTER", "FLOAT", "FOR", "FORCE", "FROM", "FULL",
            "FUNCTION", "GRANT", "GROUP", "GROUPING", "HAVING", "IF", "IN", "INDEX", "INNER", "INSERT", "INT",
            "INTEGER", "INTERSECT", "INTERVAL", "INTO", "IS", "JOIN", "JSON", "KEY", "KEYS", "KILL", "KAFKA",
            "KINESIS", "LARGEINT", "LEFT", "LIKE", "LIMIT", "LOAD", "LOCALTIME", "LOCALTIMESTAMP", "MAXVALUE",
            "MERGE", "MINUS", "MOD", "NOT", "NULL", "NULLS", "OFFSET", "ON", "OR", "ORDER", "OUTER", "OVER",
            "PARTITION", "PARTITIONS", "PRECEDING", "PRIMARY", "PROPERTIES", "RANGE", "REGEXP", "RENAME",
            "REPLACE", "REVOKE", "RIGHT", "RLIKE", "ROLLUP", "ROUTINE", "ROW", "ROWS", "SCHEMA", "SCHEMAS",
            "SELECT", "SET", "SHOW", "SMALLINT", "STRING", "TABLE", "TEMPORARY", "TERMINATED", "THEN",
            "TINYINT", "TO", "TRUE", "UNION", "UNIQUE", "UPDATE", "USE", "USING", "VALUES", "VARCHAR", "WHEN",
            "WHERE", "WITH", "XOR");

    /** True for the words that cannot be a bare column reference inside an expression. */
    public static boolean isExpressionKeyword(String word) {
        return EXPR_RESERVED.contains(word.toUpperCase(Locale.ROOT));
    }

    /** True when {@code name} is a plain identifier: a letter or '_' then letters, digits, '_' or '$'. */
    public static boolean isPlainIdentifier(String name) {
        if (name.isEmpty()) {
            return false;
        }
        char c0 = name.charAt(0);
        if (!(Character.isLetter(c0) || c0 == '_')) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$')) {
                return false;
            }
        }
        return true;
    }

    /** Renders an identifier, in backquotes when it is not plain or is a keyword. */
    public static String ident(String name) {
        if (isPlainIdentifier(name) && !QUOTED.contains(name.toUpperCase(Locale.ROOT))) {
            return name;
        }
        return "`" + name.replace("`", "``") + "`";
    }

    /** Renders a string literal in single quotes with backslash escapes. */
    public static String quote(String s) {
        return quote(s, '\'');
    }

    /**
     * Renders a string literal in the given quote character. Backslashes are doubled, so a value holding
     * the four characters {@code \x01} renders as {@code \\x01} and parses back to the same four characters.
     */
    public static String quote(String s, char q) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        sb.append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\b' -> sb.append("\\b");
                case '\0' -> sb.append("\\0");
                case '\u001A' -> sb.append("\\Z");
                default -> {
                    if (c == q) {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
            }
        }
        sb.append(q);
        return sb.toString();
    }
}
