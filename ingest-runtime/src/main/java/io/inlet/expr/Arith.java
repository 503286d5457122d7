package io.inlet.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

/**
 * Arithmetic with StarRocks' implicit casts: strings become numbers, NULL propagates, BIGINT overflow widens
 * to LARGEINT, {@code /} is DOUBLE division, division by zero is NULL.
 */
final class Arith {
    private Arith() {
    }

    static Object add(Object a, Object b) {
        Object x = Values.toNumber(a);
        Object y = Values.toNumber(b);
        if (x == null || y == null) {
            return null;
        }
        if (x instanceof Long l && y instanceof Long m) {
            long r = l + m;
            if (((l ^ r) & (m ^ r)) < 0) {
                return Values.normalize(BigInteger.valueOf(l).add(BigInteger.valueOf(m)));
            }
            return r;
        }
        if (x instanceof Double || y instanceof Double) {
            return ((Number) x).doubleValue() + ((Number) y).doubleValue();
        }
        if (x instanceof BigDecimal || y instanceof BigDecimal) {
            return Values.toBigDecimal(x).add(Values.toBigDecimal(y));
        }
        return Values.normalize(Values.toBigInteger(x).add(Values.toBigInteger(y)));
    }

    static Object subtract(Object a, Object b) {
        Object x = Values.toNumber(a);
        Object y = Values.toNumber(b);
        if (x == null || y == null) {
            return null;
        }
        if (x instanceof Long l && y instanceof Long m) {
            long r = l - m;
            if (((l ^ m) & (l ^ r)) < 0) {
                return Values.normalize(BigInteger.valueOf(l).subtract(BigInteger.valueOf(m)));
            }
            return r;
        }
        if (x instanceof Double || y instanceof Double) {
            return ((Number) x).doubleValue() - ((Number) y).doubleValue();
        }
        if (x instanceof BigDecimal || y instanceof BigDecimal) {
            return Values.toBigDecimal(x).subtract(Values.toBigDecimal(y));
        }
        return Values.normalize(Values.toBigInteger(x).subtract(Values.toBigInteger(y)));
    }

    static Object multiply(Object a, Object b) {
        Object x = Values.toNumber(a);
        Object y = Values.toNumber(b);
        if (x == null || y == null) {
            return null;
        }
        if (x instanceof Long l && y instanceof Long m) {
            long hi = Math.multiplyHigh(l, m);
            long lo = l * m;
            if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0)) {
                return lo;
            }
            return Values.normalize(BigInteger.valueOf(l).multiply(BigInteger.valueOf(m)));
        }
        if (x instanceof Double || y instanceof Double) {
            return ((Number) x).doubleValue() * ((Number) y).doubleValue();
        }
        if (x instanceof BigDecimal || y instanceof BigDecimal) {
            return Values.toBigDecimal(x).multiply(Values.toBigDecimal(y));
        }
        return Values.normalize(Values.toBigInteger(x).multiply(Values.toBigInteger(y)));
    }

    /** {@code /}: always DOUBLE; NULL when dividing by zero. */
    static Object divide(Object a, Object b) {
        Object x = Values.toNumber(a);
        Object y = Values.toNumber(b);
        if (x == null || y == null) {
            return null;
        }
        double d = ((Number) y).doubleValue();
        if (d == 0) {
            return null;
        }
        return ((Number) x).doubleValue() / d;
    }

    /** {@code DIV}: integer division truncating toward zero; NULL when dividing by zero. */
    static Object intDivide(Object a, Object b) {
        Long x = Values.toLong(a);
        Long y = Values.toLong(b);
        if (x == null || y == null || y == 0) {
            return null;
        }
        if (x == Long.MIN_VALUE && y == -1) {
            return BigInteger.valueOf(x).negate();
        }
        return x / y;
    }

    /** {@code %} / MOD: the sign follows the dividend; NULL when dividing by zero. */
    static Object modulo(Object a, Object b) {
        Object x = Values.toNumber(a);
        Object y = Values.toNumber(b);
        if (x == null || y == null) {
            return null;
        }
        if (x instanceof Long l && y instanceof Long m) {
            return m == 0 ? null : (m == -1 ? 0L : l % m);
        }
        if (x instanceof Double || y instanceof Double) {
            double d = ((Number) y).doubleValue();
            return d == 0 ? null : ((Number) x).doubleValue() % d;
        }
        if (x instanceof BigDecimal || y instanceof BigDecimal) {
            BigDecimal d = Values.toBigDecimal(y);
            return d.signum() == 0 ? null : Values.toBigDecimal(x).remainder(d, MathContext.DECIMAL128);
        }
        BigInteger d = Values.toBigInteger(y);
        return d.signum() == 0 ? null : Values.normalize(Values.toBigInteger(x).remainder(d));
    }

    static Object negate(Object a) {
        Object x = Values.toNumber(a);
        if (x == null) {
            return null;
        }
        if (x instanceof Long l) {
            return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : -l;
        }
        if (x instanceof Double d) {
            return -d;
        }
        if (x instanceof BigDecimal bd) {
            return bd.negate();
        }
        return Values.normalize(((BigInteger) x).negate());
    }

    static Object abs(Object a) {
        Object x = Values.toNumber(a);
        if (x == null) {
            return null;
        }
        if (x instanceof Long l) {
            return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : Math.abs(l);
        }
        if (x instanceof Double d) {
            return Math.abs(d);
        }
        if (x instanceof BigDecimal bd) {
            return bd.abs();
        }
        return Values.normalize(((BigInteger) x).abs());
    }
}
