package io.inlet.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Strict conversion of a value to a column type, used when a row is written to the target table. A non-null
 * value that cannot be represented throws {@link CastException} with a short reason; null stays null.
 *
 * <p>Results: integer types → Long (LARGEINT → BigInteger), FLOAT/DOUBLE → Double, DECIMAL → BigDecimal with
 * the type's scale (half-up), CHAR/VARCHAR/STRING/JSON → String, DATE → LocalDate, DATETIME → LocalDateTime,
 * BOOLEAN → Boolean. Fractional numbers cast to an integer type are truncated toward zero, as in StarRocks.
 */
public final class Casts {
    private Casts() {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final BigInteger LARGEINT_MIN = BigInteger.ONE.shiftLeft(127).negate();
    private static final BigInteger LARGEINT_MAX = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);

    public static Object cast(Object value, SqlType type) throws CastException {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> toBoolean(value);
            case TINYINT -> toIntegral(value, type, -128, 127);
            case SMALLINT -> toIntegral(value, type, -32768, 32767);
            case INT -> toIntegral(value, type, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> toIntegral(value, type, Long.MIN_VALUE, Long.MAX_VALUE);
            case LARGEINT -> toLargeInt(value);
            case FLOAT, DOUBLE -> toFloating(value, type);
            case DECIMAL -> toDecimal(value, type);
            case CHAR, VARCHAR, STRING -> toStringType(value, type);
            case DATE -> toDate(value);
            case DATETIME -> toDateTime(value);
            case JSON -> toJson(value);
        };
    }

    /** Quotes a value for a message, shortened to 64 characters. */
    static String show(Object v) {
        String s = v instanceof String str ? str : Values.toStr(v);
        if (s.length() > 64) {
            s = s.substring(0, 61) + "...";
        }
        return "'" + s + "'";
    }

    private static CastException invalid(Object v, SqlType type) {
        return new CastException(show(v) + " is not a valid " + type.toSql());
    }

    private static Boolean toBoolean(Object v) throws CastException {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase("true") || t.equals("1")) {
                return Boolean.TRUE;
            }
            if (t.equalsIgnoreCase("false") || t.equals("0")) {
                return Boolean.FALSE;
            }
            throw invalid(v, SqlType.BOOLEAN);
        }
        Object n = Values.toNumber(v);
        if (n == null) {
            throw invalid(v, SqlType.BOOLEAN);
        }
        return Values.toBoolean(n);
    }

    private static Object toIntegral(Object v, SqlType type, long min, long max) throws CastException {
        Object n;
        if (v instanceof String s) {
            n = Values.parseNumber(s, true);
            if (!(n instanceof Long || n instanceof BigInteger)) {
                throw invalid(v, type);
            }
        } else if (v instanceof LocalDate || v instanceof LocalDateTime) {
            throw invalid(v, type);
        } else {
            n = Values.toNumber(v);
            if (n == null) {
                throw invalid(v, type);
            }
        }
        long l;
        if (n instanceof Long x) {
            l = x;
        } else if (n instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw invalid(v, type);
            }
            if (d >= 9.223372036854775807E18 || d < -9.223372036854775808E18) {
                throw outOfRange(v, type);
            }
            l = (long) d.doubleValue();
        } else {
            BigInteger bi = Values.toBigInteger(n);
            if (bi.bitLength() >= 64) {
                throw outOfRange(v, type);
            }
            l = bi.longValue();
        }
        if (l < min || l > max) {
            throw outOfRange(v, type);
        }
        return l;
    }

    private static CastException outOfRange(Object v, SqlType type) {
        String s = v instanceof String str ? str.trim() : Values.toStr(v);
        if (s.length() > 64) {
            s = s.substring(0, 61) + "...";
        }
        return new CastException("value " + s + " out of range for " + type.toSql());
    }

    private static BigInteger toLargeInt(Object v) throws CastException {
        BigInteger bi;
        if (v instanceof String s) {
            Object n = Values.parseNumber(s, true);
            if (!(n instanceof Long || n instanceof BigInteger)) {
                throw invalid(v, SqlType.LARGEINT);
            }
            bi = Values.toBigInteger(n);
        } else {
            Object n = Values.toNumber(v);
            if (n == null || (n instanceof Double d && !Double.isFinite(d))) {
                throw invalid(v, SqlType.LARGEINT);
            }
            bi = Values.toBigInteger(n);
        }
        if (bi.compareTo(LARGEINT_MIN) < 0 || bi.compareTo(LARGEINT_MAX) > 0) {
            throw outOfRange(v, SqlType.LARGEINT);
        }
        return bi;
    }

    private static Double toFloating(Object v, SqlType type) throws CastException {
        if (v instanceof LocalDate || v instanceof LocalDateTime) {
            throw invalid(v, type);
        }
        Object n = Values.toNumber(v);
        if (n == null) {
            throw invalid(v, type);
        }
        double d = ((Number) n).doubleValue();
        if (Double.isNaN(d)) {
            throw invalid(v, type);
        }
        if (type.kind() == SqlType.Kind.FLOAT) {
            float f = (float) d;
            if (Float.isInfinite(f)) {
                throw outOfRange(v, type);
            }
            return Double.parseDouble(Float.toString(f));
        }
        if (Double.isInfinite(d)) {
            throw outOfRange(v, type);
        }
        return d;
    }

    private static BigDecimal toDecimal(Object v, SqlType type) throws CastException {
        if (v instanceof LocalDate || v instanceof LocalDateTime) {
            throw invalid(v, type);
        }
        BigDecimal bd = Values.toBigDecimal(v);
        if (bd == null) {
            throw invalid(v, type);
        }
        BigDecimal scaled = bd.setScale(type.scale(), RoundingMode.HALF_UP);
        int intDigits = scaled.precision() - scaled.scale();
        if (intDigits > type.precision() - type.scale()) {
            throw outOfRange(v, type);
        }
        return scaled;
    }

    private static String toStringType(Object v, SqlType type) throws CastException {
        String s = Values.toStr(v);
        if (type.length() > 0) {
            int len = Values.utf8Length(s);
            if (len > type.length()) {
                throw new CastException("length " + len + " exceeds " + type.toSql());
            }
        }
        return s;
    }

    private static LocalDate toDate(Object v) throws CastException {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        LocalDateTime t = v instanceof String || v instanceof Long ? Values.toDateTime(v) : null;
        if (t == null) {
            throw invalid(v, SqlType.DATE);
        }
        return t.toLocalDate();
    }

    private static LocalDateTime toDateTime(Object v) throws CastException {
        LocalDateTime t = Values.toDateTime(v);
        if (t == null) {
            throw invalid(v, SqlType.DATETIME);
        }
        return t;
    }

    private static String toJson(Object v) throws CastException {
        if (v instanceof String s) {
            try {
                if (JSON.readTree(s).isMissingNode()) {
                    throw new CastException(show(v) + " is not valid JSON");
                }
            } catch (JsonProcessingException e) {
                throw new CastException(show(v) + " is not valid JSON");
            }
            return s;
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        if (v instanceof LocalDate || v instanceof LocalDateTime) {
            return "\"" + Values.toStr(v) + "\"";
        }
        Object n = Values.toNumber(v);
        if (n == null) {
            throw new CastException(show(v) + " is not valid JSON");
        }
        return Values.toStr(n);
    }
}
