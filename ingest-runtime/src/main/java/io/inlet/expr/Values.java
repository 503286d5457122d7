package io.inlet.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Lenient (StarRocks implicit-cast) conversions between runtime values: String, Long, Double, BigDecimal,
 * BigInteger, Boolean, LocalDate, LocalDateTime. Every method returns {@code null} for null input and for a
 * value that cannot be converted; none throws.
 */
public final class Values {
    private Values() {
    }

    static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** Sentinel of {@link #compare}: the values cannot be compared, the comparison is NULL. */
    public static final int INCOMPARABLE = Integer.MIN_VALUE;

    // ------------------------------------------------------------------------------------------- numbers

    /**
     * A number for arithmetic: Long, Double, BigDecimal or BigInteger. Strings are parsed (integers to Long,
     * others to Double, as StarRocks converts strings to DOUBLE); booleans are 1/0; dates are not numbers.
     */
    public static Object toNumber(Object v) {
        if (v instanceof Long || v instanceof Double || v instanceof BigDecimal || v instanceof BigInteger) {
            return v;
        }
        if (v instanceof String s) {
            return parseNumber(s, false);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return null;
    }

    /**
     * Parses a decimal number: {@code [+-]digits[.digits][e[+-]digits]} with surrounding blanks. Integers
     * become Long (BigInteger when too long); others Double, or BigDecimal when {@code exactDecimal}.
     * Returns null for anything else (including NaN, Infinity, hex, Java suffixes).
     */
    public static Object parseNumber(String s, boolean exactDecimal) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        if (start == end) {
            return null;
        }
        int i = start;
        char c = s.charAt(i);
        boolean negative = false;
        if (c == '+' || c == '-') {
            negative = c == '-';
            i++;
        }
        int digitsStart = i;
        long acc = 0;
        boolean overflow = false;
        while (i < end && (c = s.charAt(i)) >= '0' && c <= '9') {
            if (acc > (Long.MAX_VALUE - 9) / 10) {
                overflow = true;
            } else {
                acc = acc * 10 + (c - '0');
            }
            i++;
        }
        int intDigits = i - digitsStart;
        if (i == end) {
            if (intDigits == 0) {
                return null;
            }
            if (!overflow) {
                return negative ? -acc : acc;
            }
            BigInteger bi = new BigInteger(s.substring(start, end).replace("+", ""));
            return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
        }
        int fracDigits = 0;
        if (s.charAt(i) == '.') {
            i++;
            int fs = i;
            while (i < end && (c = s.charAt(i)) >= '0' && c <= '9') {
                i++;
            }
            fracDigits = i - fs;
        }
        if (intDigits == 0 && fracDigits == 0) {
            return null;
        }
        if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int es = i;
            while (i < end && (c = s.charAt(i)) >= '0' && c <= '9') {
                i++;
            }
            if (i == es) {
                return null;
            }
        }
        if (i != end) {
            return null;
        }
        String text = s.substring(start, end);
        if (exactDecimal) {
            return new BigDecimal(text);
        }
        return Double.parseDouble(text);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    /** To BIGINT, truncating fractions (as StarRocks casts DOUBLE to BIGINT); null when out of range. */
    public static Long toLong(Object v) {
        Object n = toNumber(v);
        if (n == null) {
            return null;
        }
        if (n instanceof Long l) {
            return l;
        }
        if (n instanceof Double d) {
            if (Double.isNaN(d) || d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) {
                return null;
            }
            return (long) d.doubleValue();
        }
        if (n instanceof BigDecimal bd) {
            BigInteger bi = bd.toBigInteger();
            return bi.bitLength() < 64 ? bi.longValue() : null;
        }
        BigInteger bi = (BigInteger) n;
        return bi.bitLength() < 64 ? bi.longValue() : null;
    }

    public static Double toDouble(Object v) {
        Object n = toNumber(v);
        return n == null ? null : ((Number) n).doubleValue();
    }

    public static BigDecimal toBigDecimal(Object v) {
        if (v instanceof String s) {
            Object n = parseNumber(s, true);
            if (n == null) {
                return null;
            }
            v = n;
        }
        Object n = toNumber(v);
        if (n == null) {
            return null;
        }
        if (n instanceof BigDecimal bd) {
            return bd;
        }
        if (n instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        if (n instanceof BigInteger bi) {
            return new BigDecimal(bi);
        }
        double d = (Double) n;
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }

    static BigInteger toBigInteger(Object n) {
        if (n instanceof BigInteger bi) {
            return bi;
        }
        if (n instanceof Long l) {
            return BigInteger.valueOf(l);
        }
        if (n instanceof BigDecimal bd) {
            return bd.toBigInteger();
        }
        return BigDecimal.valueOf(((Number) n).doubleValue()).toBigInteger();
    }

    /** Normalises a BigInteger result to Long when it fits. */
    static Object normalize(BigInteger bi) {
        return bi.bitLength() < 64 ? (Object) bi.longValue() : bi;
    }

    // ------------------------------------------------------------------------------------------- booleans

    /** Truth value for AND/OR/NOT/WHERE: booleans, numbers (non-zero is true), 'true'/'false', numeric strings. */
    public static Boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            if (t.equalsIgnoreCase("false")) {
                return Boolean.FALSE;
            }
            Object n = parseNumber(t, false);
            return n == null ? null : toBoolean(n);
        }
        if (v instanceof Double d) {
            return Double.isNaN(d) ? null : d != 0;
        }
        if (v instanceof BigDecimal bd) {
            return bd.signum() != 0;
        }
        if (v instanceof BigInteger bi) {
            return bi.signum() != 0;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue() != 0;
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------- strings

    /** The VARCHAR form of a value, as StarRocks prints it (DOUBLE 2.0 is '2', TRUE is '1'). */
    public static String toStr(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte) {
            return v.toString();
        }
        if (v instanceof Double d) {
            return formatDouble(d);
        }
        if (v instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (v instanceof LocalDateTime t) {
            return formatDateTime(t);
        }
        if (v instanceof LocalDate d) {
            return formatDate(d);
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof Float f) {
            return formatDouble(f.doubleValue());
        }
        return v.toString();
    }

    /** Shortest decimal text of a double: 2.0 → "2", 0.1 → "0.1", 1e20 → "1e+20". */
    public static String formatDouble(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return "0";
        }
        double abs = Math.abs(d);
        if (abs < 1e16 && d == Math.rint(d)) {
            return Long.toString((long) d);
        }
        if (abs >= 1e-5 && abs < 1e16) {
            String plain = new BigDecimal(Double.toString(d)).toPlainString();
            return plain;
        }
        String s = Double.toString(d); // m.mmmE[-]x
        int e = s.indexOf('E');
        String mant = s.substring(0, e);
        if (mant.endsWith(".0")) {
            mant = mant.substring(0, mant.length() - 2);
        }
        int exp = Integer.parseInt(s.substring(e + 1));
        String ex = Integer.toString(Math.abs(exp));
        return mant + (exp < 0 ? "e-" : "e+") + (ex.length() < 2 ? "0" + ex : ex);
    }

    /** Number of bytes of {@code s} in UTF-8. */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2; // 4 bytes for 2 chars
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------- dates

    /** 'yyyy-MM-dd HH:mm:ss', with '.ffffff' when there are fractional seconds. */
    public static String formatDateTime(LocalDateTime t) {
        int nano = t.getNano();
        char[] buf = new char[nano == 0 ? 19 : 26];
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return String.format("%04d-%02d-%02d %02d:%02d:%02d", year, t.getMonthValue(), t.getDayOfMonth(),
                    t.getHour(), t.getMinute(), t.getSecond());
        }
        put4(buf, 0, year);
        buf[4] = '-';
        put2(buf, 5, t.getMonthValue());
        buf[7] = '-';
        put2(buf, 8, t.getDayOfMonth());
        buf[10] = ' ';
        put2(buf, 11, t.getHour());
        buf[13] = ':';
        put2(buf, 14, t.getMinute());
        buf[16] = ':';
        put2(buf, 17, t.getSecond());
        if (nano != 0) {
            buf[19] = '.';
            int micros = nano / 1000;
            for (int i = 25; i >= 20; i--) {
                buf[i] = (char) ('0' + micros % 10);
                micros /= 10;
            }
        }
        return new String(buf);
    }

    public static String formatDate(LocalDate d) {
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            return d.toString();
        }
        char[] buf = new char[10];
        put4(buf, 0, year);
        buf[4] = '-';
        put2(buf, 5, d.getMonthValue());
        buf[7] = '-';
        put2(buf, 8, d.getDayOfMonth());
        return new String(buf);
    }

    private static void put2(char[] b, int at, int v) {
        b[at] = (char) ('0' + v / 10);
        b[at + 1] = (char) ('0' + v % 10);
    }

    private static void put4(char[] b, int at, int v) {
        b[at] = (char) ('0' + v / 1000);
        b[at + 1] = (char) ('0' + v / 100 % 10);
        b[at + 2] = (char) ('0' + v / 10 % 10);
        b[at + 3] = (char) ('0' + v % 10);
    }

    /** DATETIME from a LocalDateTime, a LocalDate (midnight) or a datetime string; null otherwise. */
    public static LocalDateTime toDateTime(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof String s) {
            return Temporals.parseDateTime(s);
        }
        if (v instanceof Long l) {
            return Temporals.fromDigits(l);
        }
        return null;
    }

    /** DATE from a LocalDate, a LocalDateTime (truncated) or a date/datetime string; null otherwise. */
    public static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        LocalDateTime t = toDateTime(v);
        return t == null ? null : t.toLocalDate();
    }

    // ------------------------------------------------------------------------------------------- comparison

    /**
     * Compares as StarRocks does after implicit casts: strings with strings lexically, a string with a number
     * numerically, dates with dates or date strings chronologically. Returns {@link #INCOMPARABLE} when either
     * side is null or cannot be converted.
     */
    public static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return INCOMPARABLE;
        }
        if (a instanceof String sa && b instanceof String sb) {
            int c = sa.compareTo(sb);
            return c < 0 ? -1 : (c > 0 ? 1 : 0);
        }
        if (a instanceof Long la && b instanceof Long lb) {
            return Long.compare(la, lb);
        }
        if (isTemporal(a) || isTemporal(b)) {
            if (a instanceof LocalDate da && b instanceof LocalDate db) {
                return Integer.signum(da.compareTo(db));
            }
            LocalDateTime ta = toDateTime(a);
            LocalDateTime tb = toDateTime(b);
            if (ta == null || tb == null) {
                return INCOMPARABLE;
            }
            return Integer.signum(ta.compareTo(tb));
        }
        if (a instanceof Boolean ba && b instanceof Boolean bb) {
            return Boolean.compare(ba, bb);
        }
        Object na = toNumber(a);
        Object nb = toNumber(b);
        if (na == null || nb == null) {
            return INCOMPARABLE;
        }
        return compareNumbers(na, nb);
    }

    static int compareNumbers(Object na, Object nb) {
        if (na instanceof Long la && nb instanceof Long lb) {
            return Long.compare(la, lb);
        }
        if (na instanceof Double || nb instanceof Double) {
            double x = ((Number) na).doubleValue();
            double y = ((Number) nb).doubleValue();
            if (Double.isNaN(x) || Double.isNaN(y)) {
                return INCOMPARABLE;
            }
            return Double.compare(x == 0 ? 0.0 : x, y == 0 ? 0.0 : y);
        }
        if (na instanceof BigDecimal || nb instanceof BigDecimal) {
            return toBigDecimal(na).compareTo(toBigDecimal(nb));
        }
        return toBigInteger(na).compareTo(toBigInteger(nb));
    }

    private static boolean isTemporal(Object v) {
        return v instanceof LocalDateTime || v instanceof LocalDate;
    }

    /** Rounds half away from zero to {@code scale} decimal places (negative scale rounds to tens...). */
    static BigDecimal round(BigDecimal v, int scale) {
        return v.setScale(scale, RoundingMode.HALF_UP);
    }
}
