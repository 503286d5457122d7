package io.inlet.streamload.testserver;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table of the test server: typed columns and the rows visible in it. A {@code countOnly}
 * table keeps only the number of its rows (for loads too large to keep).
 */
public final class TestTable {

    /** Column types, with the conversions a warehouse applies to loaded text. */
    public enum Type {
        STRING, BIGINT, DOUBLE, DECIMAL, DATE, DATETIME, BOOLEAN;

        static Type parse(String s) {
            String t = s.trim().toUpperCase(Locale.ROOT);
            int paren = t.indexOf('(');
            if (paren >= 0) {
                t = t.substring(0, paren).trim();
            }
            switch (t) {
                case "STRING": case "VARCHAR": case "CHAR": case "TEXT": case "JSON":
                    return STRING;
                case "TINYINT": case "SMALLINT": case "INT": case "INTEGER": case "BIGINT": case "LARGEINT":
                    return BIGINT;
                case "FLOAT": case "DOUBLE":
                    return DOUBLE;
                case "DECIMAL": case "DECIMALV3": case "DECIMAL64": case "DECIMAL128":
                    return DECIMAL;
                case "DATE": case "DATEV2":
                    return DATE;
                case "DATETIME": case "DATETIMEV2": case "TIMESTAMP":
                    return DATETIME;
                case "BOOLEAN": case "BOOL":
                    return BOOLEAN;
                default:
                    throw new IllegalArgumentException("unsupported column type " + s);
            }
        }
    }

    /** One column; {@code declared} is its type as created, e.g. {@code VARCHAR(64)}, {@code DECIMAL(10,2)}. */
    public record Column(String name, Type type, boolean nullable, String declared) {}

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS][.SSS]");
    private static final DateTimeFormatter COMPACT_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final String database;
    private final String name;
    private final List<Column> columns;
    private final boolean countOnly;
    private final List<Object[]> rows = new ArrayList<>();
    private long rowCount;

    TestTable(String database, String name, List<Column> columns, boolean countOnly) {
        this.database = database;
        this.name = name;
        this.columns = List.copyOf(columns);
        this.countOnly = countOnly;
    }

    /** Parses column specs like {@code "id BIGINT NOT NULL"}, {@code "name VARCHAR(64)"}. */
    static List<Column> parseColumns(String... specs) {
        List<Column> cols = new ArrayList<>();
        for (String spec : specs) {
            String s = spec.trim();
            int sp = s.indexOf(' ');
            if (sp < 0) {
                cols.add(new Column(s, Type.STRING, true, "STRING"));
                continue;
            }
            String colName = s.substring(0, sp).replace("`", "");
            String rest = s.substring(sp + 1).trim();
            boolean notNull = rest.toUpperCase(Locale.ROOT).contains("NOT NULL");
            String type = rest.replaceAll("(?i)NOT NULL", "").replaceAll("(?i)\\bNULL\\b", "").trim();
            cols.add(new Column(colName, Type.parse(type), !notNull, type.toUpperCase(Locale.ROOT)));
        }
        return cols;
    }

    public String database() {
        return database;
    }

    public String name() {
        return name;
    }

    public List<Column> columns() {
        return columns;
    }

    public boolean countOnly() {
        return countOnly;
    }

    int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    synchronized void append(List<Object[]> newRows, long count) {
        rowCount += count;
        if (!countOnly) {
            rows.addAll(newRows);
        }
    }

    /** The number of visible rows. */
    public synchronized long rowCount() {
        return rowCount;
    }

    /** The visible rows, each a column-name → value map (Long, Double, BigDecimal, String, LocalDate, LocalDateTime, Boolean, or null). */
    public synchronized List<Map<String, Object>> rows() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i).name(), r[i]);
            }
            out.add(Collections.unmodifiableMap(m));
        }
        return out;
    }

    /** Thrown when a value cannot be converted to a column's type. */
    static final class ConversionException extends Exception {
        private static final long serialVersionUID = 1L;

        ConversionException(String message) {
            super(message, null, false, false);
        }
    }

    /** Converts a loaded or computed value to a column type. */
    static Object convert(Object v, Type type) throws ConversionException {
        if (v == null) {
            return null;
        }
        try {
            switch (type) {
                case STRING:
                    if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
                        return v.toString();
                    }
                    return v instanceof BigDecimal bd ? bd.toPlainString() : v.toString();
                case BIGINT:
                    if (v instanceof Long) {
                        return v;
                    }
                    if (v instanceof Number n) {
                        BigDecimal bd = new BigDecimal(n.toString());
                        return bd.longValueExact();
                    }
                    if (v instanceof Boolean b) {
                        return b ? 1L : 0L;
                    }
                    return Long.parseLong(v.toString().trim());
                case DOUBLE:
                    if (v instanceof Number n) {
                        return n.doubleValue();
                    }
                    return Double.parseDouble(v.toString().trim());
                case DECIMAL:
                    return new BigDecimal(v.toString().trim());
                case DATE:
                    if (v instanceof LocalDate) {
                        return v;
                    }
                    if (v instanceof LocalDateTime dt) {
                        return dt.toLocalDate();
                    }
                    return parseDate(v.toString().trim());
                case DATETIME:
                    if (v instanceof LocalDateTime) {
                        return v;
                    }
                    if (v instanceof LocalDate d) {
                        return d.atStartOfDay();
                    }
                    return parseDateTime(v.toString().trim());
                case BOOLEAN:
                    if (v instanceof Boolean) {
                        return v;
                    }
                    String s = v.toString().trim().toLowerCase(Locale.ROOT);
                    if (s.equals("true") || s.equals("1")) {
                        return true;
                    }
                    if (s.equals("false") || s.equals("0")) {
                        return false;
                    }
                    throw new ConversionException("not a boolean: " + v);
                default:
                    throw new ConversionException("unsupported type " + type);
            }
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new ConversionException("cannot convert '" + v + "' to " + type);
        }
    }

    private static LocalDate parseDate(String s) {
        if (s.length() == 8 && s.chars().allMatch(Character::isDigit)) {
            return LocalDate.parse(s, COMPACT_DATE);
        }
        if (s.length() > 10) {
            return parseDateTime(s).toLocalDate();
        }
        return LocalDate.parse(s);
    }

    private static LocalDateTime parseDateTime(String s) {
        if (s.length() == 10 || (s.length() == 8 && s.chars().allMatch(Character::isDigit))) {
            return parseDate(s).atStartOfDay();
        }
        return LocalDateTime.parse(s.replace('T', ' '), DATETIME);
    }
}
