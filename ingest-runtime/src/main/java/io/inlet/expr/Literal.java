package io.inlet.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * A constant: {@code null}, a {@link Boolean}, a {@link Long} or {@link BigInteger} (integer literals), a
 * {@link BigDecimal} (literals with a decimal point), a {@link Double} (literals with an exponent) or a
 * {@link String}.
 */
public record Literal(Object value, int line, int column) implements Expr {
    public Literal {
        if (value != null && !(value instanceof Boolean || value instanceof Long || value instanceof BigInteger
                || value instanceof BigDecimal || value instanceof Double || value instanceof String)) {
            throw new IllegalArgumentException("unsupported literal type " + value.getClass().getName());
        }
    }

    public Literal(Object value) {
        this(value, 0, 0);
    }

    @Override
    public String toSql() {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (value instanceof String s) {
            return SqlText.quote(s);
        }
        if (value instanceof Double d) {
            // always with an exponent, so that it parses back as a DOUBLE and not as a DECIMAL literal
            String s = Double.toString(d);
            return s.contains("E") ? s : s + "E0";
        }
        if (value instanceof BigDecimal bd) {
            String s = bd.toPlainString();
            return s.indexOf('.') >= 0 ? s : s + ".0";
        }
        return value.toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Literal l)) {
            return false;
        }
        if (value instanceof BigDecimal a && l.value instanceof BigDecimal b) {
            return a.compareTo(b) == 0;
        }
        return Objects.equals(value, l.value);
    }

    @Override
    public int hashCode() {
        if (value instanceof BigDecimal bd) {
            return bd.stripTrailingZeros().hashCode();
        }
        return Objects.hashCode(value);
    }
}
