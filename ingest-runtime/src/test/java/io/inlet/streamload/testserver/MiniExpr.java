package io.inlet.streamload.testserver;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The subset of StarRocks/Doris expressions the test server evaluates in {@code columns}
 * ({@code pay_dt = from_unixtime(pay_time, '%Y%m%d')}) and {@code where} headers: literals,
 * column references, arithmetic, comparisons, AND/OR/NOT, IS [NOT] NULL, [NOT] IN, [NOT] LIKE,
 * BETWEEN, CAST, and a few functions (from_unixtime, date_format, upper, lower, concat, ifnull,
 * coalesce, if, substr, length, trim, replace, abs, round, floor, ceil, year, month, day, hour,
 * minute, second, to_date). Independent of Inlet's own expression engine on purpose.
 */
final class MiniExpr {

    /** Variables (case-insensitive names) and the session time zone. */
    interface Env {
        Object get(String name);

        boolean has(String name);

        ZoneId zone();
    }

    interface Node {
        Object eval(Env env);
    }

    static final class ExprException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ExprException(String m) {
            super(m);
        }
    }

    private final List<String> tokens;
    private int pos;

    private MiniExpr(String text) {
        this.tokens = tokenize(text);
    }

    static Node parse(String text) {
        MiniExpr p = new MiniExpr(text);
        Node n = p.or();
        if (p.pos != p.tokens.size()) {
            throw new ExprException("unexpected '" + p.tokens.get(p.pos) + "' in: " + text);
        }
        return n;
    }

    // ---------------------------------------------------------------- tokenizer

    private static List<String> tokenize(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder sb = new StringBuilder();
                sb.append('\'');
                int j = i + 1;
                while (true) {
                    if (j >= s.length()) {
                        throw new ExprException("unterminated string in: " + s);
                    }
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < s.length()) {
                        sb.append(s.charAt(j + 1));
                        j += 2;
                    } else if (d == c) {
                        if (j + 1 < s.length() && s.charAt(j + 1) == c) {
                            sb.append(c);
                            j += 2;
                        } else {
                            j++;
                            break;
                        }
                    } else {
                        sb.append(d);
                        j++;
                    }
                }
                out.add(sb.toString());
                i = j;
            } else if (c == '`') {
                int j = s.indexOf('`', i + 1);
                if (j < 0) {
                    throw new ExprException("unterminated identifier in: " + s);
                }
                out.add("`" + s.substring(i + 1, j));
                i = j + 1;
            } else if (Character.isDigit(c) || (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)))) {
                int j = i;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else if (Character.isLetter(c) || c == '_' || c == '$') {
                int j = i;
                while (j < s.length() && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_'
                        || s.charAt(j) == '$')) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            } else {
                String two = i + 1 < s.length() ? s.substring(i, i + 2) : "";
                if (two.equals("<=") || two.equals(">=") || two.equals("!=") || two.equals("<>") || two.equals("==")) {
                    out.add(two.equals("==") ? "=" : two.equals("<>") ? "!=" : two);
                    i += 2;
                } else if ("()+-*/%,=<>".indexOf(c) >= 0) {
                    out.add(String.valueOf(c));
                    i++;
                } else {
                    throw new ExprException("unexpected character '" + c + "' in: " + s);
                }
            }
        }
        return out;
    }

    private String peek() {
        return pos < tokens.size() ? tokens.get(pos) : null;
    }

    private boolean isKeyword(String t, String kw) {
        return t != null && !t.startsWith("'") && !t.startsWith("`") && t.equalsIgnoreCase(kw);
    }

    private boolean accept(String kw) {
        if (isKeyword(peek(), kw)) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(String kw) {
        if (!accept(kw)) {
            throw new ExprException("expected '" + kw + "' but got '" + peek() + "'");
        }
    }

    // ---------------------------------------------------------------- grammar

    private Node or() {
        Node left = and();
        while (accept("OR")) {
            Node l = left;
            Node r = and();
            left = env -> {
                Boolean a = truth(l.eval(env));
                if (Boolean.TRUE.equals(a)) {
                    return true;
                }
                Boolean b = truth(r.eval(env));
                if (Boolean.TRUE.equals(b)) {
                    return true;
                }
                return a == null || b == null ? null : false;
            };
        }
        return left;
    }

    private Node and() {
        Node left = not();
        while (accept("AND")) {
            Node l = left;
            Node r = not();
            left = env -> {
                Boolean a = truth(l.eval(env));
                if (Boolean.FALSE.equals(a)) {
                    return false;
                }
                Boolean b = truth(r.eval(env));
                if (Boolean.FALSE.equals(b)) {
                    return false;
                }
                return a == null || b == null ? null : true;
            };
        }
        return left;
    }

    private Node not() {
        if (accept("NOT")) {
            Node n = not();
            return env -> {
                Boolean b = truth(n.eval(env));
                return b == null ? null : !b;
            };
        }
        return comparison();
    }

    private Node comparison() {
        Node left = additive();
        String t = peek();
        if (t == null) {
            return left;
        }
        if (accept("IS")) {
            boolean neg = accept("NOT");
            expect("NULL");
            return env -> (left.eval(env) == null) != neg;
        }
        boolean neg = false;
        if (isKeyword(t, "NOT")) {
            String next = pos + 1 < tokens.size() ? tokens.get(pos + 1) : null;
            if (isKeyword(next, "IN") || isKeyword(next, "LIKE") || isKeyword(next, "BETWEEN")) {
                pos++;
                neg = true;
                t = peek();
            }
        }
        boolean negated = neg;
        if (accept("IN")) {
            expect("(");
            List<Node> items = new ArrayList<>();
            do {
                items.add(or());
            } while (accept(","));
            expect(")");
            return env -> {
                Object v = left.eval(env);
                if (v == null) {
                    return null;
                }
                boolean sawNull = false;
                for (Node item : items) {
                    Object o = item.eval(env);
                    if (o == null) {
                        sawNull = true;
                    } else if (compare(v, o) == 0) {
                        return !negated;
                    }
                }
                return sawNull ? null : negated;
            };
        }
        if (accept("LIKE")) {
            Node pattern = additive();
            return env -> {
                Object v = left.eval(env);
                Object p = pattern.eval(env);
                if (v == null || p == null) {
                    return null;
                }
                return likeToRegex(p.toString()).matcher(str(v)).matches() != negated;
            };
        }
        if (accept("BETWEEN")) {
            Node lo = additive();
            expect("AND");
            Node hi = additive();
            return env -> {
                Object v = left.eval(env);
                Object a = lo.eval(env);
                Object b = hi.eval(env);
                if (v == null || a == null || b == null) {
                    return null;
                }
                return (compare(v, a) >= 0 && compare(v, b) <= 0) != negated;
            };
        }
        String op = peek();
        if (op != null && (op.equals("=") || op.equals("!=") || op.equals("<") || op.equals("<=")
                || op.equals(">") || op.equals(">="))) {
            pos++;
            Node right = additive();
            return env -> {
                Object a = left.eval(env);
                Object b = right.eval(env);
                if (a == null || b == null) {
                    return null;
                }
                int c = compare(a, b);
                switch (op) {
                    case "=": return c == 0;
                    case "!=": return c != 0;
                    case "<": return c < 0;
                    case "<=": return c <= 0;
                    case ">": return c > 0;
                    default: return c >= 0;
                }
            };
        }
        return left;
    }

    private Node additive() {
        Node left = multiplicative();
        while (true) {
            String t = peek();
            if ("+".equals(t) || "-".equals(t)) {
                pos++;
                Node l = left;
                Node r = multiplicative();
                left = env -> arith(t, l.eval(env), r.eval(env));
            } else {
                return left;
            }
        }
    }

    private Node multiplicative() {
        Node left = unary();
        while (true) {
            String t = peek();
            if ("*".equals(t) || "/".equals(t) || "%".equals(t)) {
                pos++;
                Node l = left;
                Node r = unary();
                left = env -> arith(t, l.eval(env), r.eval(env));
            } else {
                return left;
            }
        }
    }

    private Node unary() {
        if ("-".equals(peek())) {
            pos++;
            Node n = unary();
            return env -> arith("-", 0L, n.eval(env));
        }
        if ("+".equals(peek())) {
            pos++;
            return unary();
        }
        return primary();
    }

    private Node primary() {
        String t = peek();
        if (t == null) {
            throw new ExprException("unexpected end of expression");
        }
        pos++;
        if (t.equals("(")) {
            Node n = or();
            expect(")");
            return n;
        }
        if (t.startsWith("'")) {
            String v = t.substring(1);
            return env -> v;
        }
        if (Character.isDigit(t.charAt(0)) || t.charAt(0) == '.') {
            Object v = t.contains(".") ? (Object) new BigDecimal(t) : (Object) Long.parseLong(t);
            return env -> v;
        }
        if (t.startsWith("`")) {
            String name = t.substring(1);
            return env -> variable(env, name);
        }
        if (isKeyword(t, "NULL")) {
            return env -> null;
        }
        if (isKeyword(t, "TRUE")) {
            return env -> true;
        }
        if (isKeyword(t, "FALSE")) {
            return env -> false;
        }
        if (isKeyword(t, "CAST")) {
            expect("(");
            Node inner = or();
            expect("AS");
            StringBuilder type = new StringBuilder();
            int depth = 0;
            while (peek() != null && !(depth == 0 && peek().equals(")"))) {
                String x = tokens.get(pos++);
                depth += x.equals("(") ? 1 : x.equals(")") ? -1 : 0;
                type.append(x);
            }
            expect(")");
            TestTable.Type target = TestTable.Type.parse(type.toString());
            return env -> {
                try {
                    return TestTable.convert(inner.eval(env), target);
                } catch (TestTable.ConversionException e) {
                    return null;
                }
            };
        }
        if ("(".equals(peek())) {
            pos++;
            List<Node> args = new ArrayList<>();
            if (!")".equals(peek())) {
                do {
                    args.add(or());
                } while (accept(","));
            }
            expect(")");
            return function(t.toLowerCase(Locale.ROOT), args);
        }
        String name = t;
        return env -> variable(env, name);
    }

    private static Object variable(Env env, String name) {
        if (!env.has(name)) {
            throw new ExprException("unknown column '" + name + "'");
        }
        return env.get(name);
    }

    // ---------------------------------------------------------------- functions

    private static Node function(String fn, List<Node> a) {
        switch (fn) {
            case "from_unixtime":
                arity(fn, a, 1, 2);
                return env -> {
                    Object ts = a.get(0).eval(env);
                    if (ts == null) {
                        return null;
                    }
                    long seconds = toDecimal(ts).longValue();
                    String fmt = a.size() > 1 ? str(a.get(1).eval(env)) : "%Y-%m-%d %H:%i:%s";
                    LocalDateTime dt = LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds), env.zone());
                    return format(dt, fmt);
                };
            case "date_format":
                arity(fn, a, 2, 2);
                return env -> {
                    Object v = a.get(0).eval(env);
                    Object f = a.get(1).eval(env);
                    if (v == null || f == null) {
                        return null;
                    }
                    LocalDateTime dt = toDateTime(v);
                    return dt == null ? null : format(dt, f.toString());
                };
            case "to_date":
                arity(fn, a, 1, 1);
                return env -> {
                    LocalDateTime dt = toDateTime(a.get(0).eval(env));
                    return dt == null ? null : dt.toLocalDate();
                };
            case "year": case "month": case "day": case "dayofmonth": case "hour": case "minute": case "second":
                arity(fn, a, 1, 1);
                return env -> {
                    LocalDateTime dt = toDateTime(a.get(0).eval(env));
                    if (dt == null) {
                        return null;
                    }
                    switch (fn) {
                        case "year": return (long) dt.getYear();
                        case "month": return (long) dt.getMonthValue();
                        case "hour": return (long) dt.getHour();
                        case "minute": return (long) dt.getMinute();
                        case "second": return (long) dt.getSecond();
                        default: return (long) dt.getDayOfMonth();
                    }
                };
            case "upper":
            case "lower":
            case "trim":
            case "length":
            case "char_length":
                arity(fn, a, 1, 1);
                return env -> {
                    Object v = a.get(0).eval(env);
                    if (v == null) {
                        return null;
                    }
                    String s = str(v);
                    switch (fn) {
                        case "upper": return s.toUpperCase(Locale.ROOT);
                        case "lower": return s.toLowerCase(Locale.ROOT);
                        case "trim": return s.strip();
                        case "length": return (long) s.getBytes(StandardCharsets.UTF_8).length;
                        default: return (long) s.codePointCount(0, s.length());
                    }
                };
            case "concat":
                return env -> {
                    StringBuilder sb = new StringBuilder();
                    for (Node n : a) {
                        Object v = n.eval(env);
                        if (v == null) {
                            return null;
                        }
                        sb.append(str(v));
                    }
                    return sb.toString();
                };
            case "ifnull":
            case "nvl":
                arity(fn, a, 2, 2);
                return env -> {
                    Object v = a.get(0).eval(env);
                    return v != null ? v : a.get(1).eval(env);
                };
            case "coalesce":
                return env -> {
                    for (Node n : a) {
                        Object v = n.eval(env);
                        if (v != null) {
                            return v;
                        }
                    }
                    return null;
                };
            case "if":
                arity(fn, a, 3, 3);
                return env -> Boolean.TRUE.equals(truth(a.get(0).eval(env))) ? a.get(1).eval(env) : a.get(2).eval(env);
            case "substr":
            case "substring":
                arity(fn, a, 2, 3);
                return env -> {
                    Object v = a.get(0).eval(env);
                    Object p = a.get(1).eval(env);
                    if (v == null || p == null) {
                        return null;
                    }
                    String s = str(v);
                    int start = toDecimal(p).intValue();
                    int from = start > 0 ? start - 1 : Math.max(0, s.length() + start);
                    if (from >= s.length()) {
                        return "";
                    }
                    int len = a.size() > 2 ? toDecimal(a.get(2).eval(env)).intValue() : s.length();
                    return s.substring(from, Math.min(s.length(), from + Math.max(0, len)));
                };
            case "replace":
                arity(fn, a, 3, 3);
                return env -> {
                    Object v = a.get(0).eval(env);
                    Object f = a.get(1).eval(env);
                    Object r = a.get(2).eval(env);
                    return v == null || f == null || r == null ? null : str(v).replace(str(f), str(r));
                };
            case "abs":
            case "floor":
            case "ceil":
            case "round":
                arity(fn, a, 1, fn.equals("round") ? 2 : 1);
                return env -> {
                    Object v = a.get(0).eval(env);
                    if (v == null) {
                        return null;
                    }
                    BigDecimal d = toDecimal(v);
                    switch (fn) {
                        case "abs": return normalize(d.abs());
                        case "floor": return d.setScale(0, RoundingMode.FLOOR).longValueExact();
                        case "ceil": return d.setScale(0, RoundingMode.CEILING).longValueExact();
                        default:
                            int scale = a.size() > 1 ? toDecimal(a.get(1).eval(env)).intValue() : 0;
                            BigDecimal r = d.setScale(scale, RoundingMode.HALF_UP);
                            return scale == 0 ? (Object) r.longValueExact() : (Object) r.doubleValue();
                    }
                };
            default:
                throw new ExprException("unsupported function " + fn + "()");
        }
    }

    private static void arity(String fn, List<Node> a, int min, int max) {
        if (a.size() < min || a.size() > max) {
            throw new ExprException(fn + "() takes " + min + (min == max ? "" : ".." + max) + " arguments");
        }
    }

    // ---------------------------------------------------------------- values

    static Boolean truth(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        try {
            return new BigDecimal(s).signum() != 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String str(Object v) {
        if (v instanceof BigDecimal bd) {
            return bd.toPlainString();
        }
        if (v instanceof LocalDateTime dt) {
            return format(dt, "%Y-%m-%d %H:%i:%s");
        }
        return String.valueOf(v);
    }

    private static boolean numeric(Object v) {
        if (v instanceof Number) {
            return true;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.isEmpty()) {
                return false;
            }
            try {
                new BigDecimal(t);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    static BigDecimal toDecimal(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal bd) {
            return bd;
        }
        if (v instanceof Long || v instanceof Integer) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        try {
            return new BigDecimal(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ExprException("not a number: '" + v + "'");
        }
    }

    private static Object normalize(BigDecimal d) {
        BigDecimal s = d.stripTrailingZeros();
        if (s.scale() <= 0 && s.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return s.longValueExact();
        }
        return d.doubleValue();
    }

    private static Object arith(String op, Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        BigDecimal x = toDecimal(a);
        BigDecimal y = toDecimal(b);
        boolean integral = x.stripTrailingZeros().scale() <= 0 && y.stripTrailingZeros().scale() <= 0
                && !(a instanceof Double) && !(b instanceof Double);
        switch (op) {
            case "+": return integral ? (Object) x.add(y).longValue() : (Object) x.add(y).doubleValue();
            case "-": return integral ? (Object) x.subtract(y).longValue() : (Object) x.subtract(y).doubleValue();
            case "*": return integral ? (Object) x.multiply(y).longValue() : (Object) x.multiply(y).doubleValue();
            case "%":
                if (y.signum() == 0) {
                    return null;
                }
                return integral ? (Object) x.remainder(y).longValue() : (Object) x.remainder(y).doubleValue();
            default:
                if (y.signum() == 0) {
                    return null;
                }
                return x.doubleValue() / y.doubleValue();
        }
    }

    static int compare(Object a, Object b) {
        if (numeric(a) && numeric(b)) {
            return toDecimal(a).compareTo(toDecimal(b));
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return Boolean.compare(Boolean.TRUE.equals(truth(a)), Boolean.TRUE.equals(truth(b)));
        }
        if (a instanceof LocalDate || a instanceof LocalDateTime || b instanceof LocalDate || b instanceof LocalDateTime) {
            LocalDateTime x = toDateTime(a);
            LocalDateTime y = toDateTime(b);
            if (x != null && y != null) {
                return x.compareTo(y);
            }
        }
        return str(a).compareTo(str(b));
    }

    private static LocalDateTime toDateTime(Object v) {
        if (v == null) {
            return null;
        }
        try {
            Object dt = TestTable.convert(v, TestTable.Type.DATETIME);
            return (LocalDateTime) dt;
        } catch (TestTable.ConversionException e) {
            return null;
        }
    }

    private static Pattern likeToRegex(String like) {
        StringBuilder sb = new StringBuilder();
        for (char c : like.toCharArray()) {
            if (c == '%') {
                sb.append(".*");
            } else if (c == '_') {
                sb.append('.');
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(sb.toString(), Pattern.DOTALL);
    }

    /** MySQL-style date formatting, as from_unixtime and date_format use it. */
    static String format(LocalDateTime dt, String fmt) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                sb.append(c);
                continue;
            }
            char f = fmt.charAt(++i);
            switch (f) {
                case 'Y': sb.append(String.format("%04d", dt.getYear())); break;
                case 'y': sb.append(String.format("%02d", dt.getYear() % 100)); break;
                case 'm': sb.append(String.format("%02d", dt.getMonthValue())); break;
                case 'c': sb.append(dt.getMonthValue()); break;
                case 'd': sb.append(String.format("%02d", dt.getDayOfMonth())); break;
                case 'e': sb.append(dt.getDayOfMonth()); break;
                case 'H': sb.append(String.format("%02d", dt.getHour())); break;
                case 'h': case 'I': sb.append(String.format("%02d", (dt.getHour() + 11) % 12 + 1)); break;
                case 'i': sb.append(String.format("%02d", dt.getMinute())); break;
                case 's': case 'S': sb.append(String.format("%02d", dt.getSecond())); break;
                case 'p': sb.append(dt.getHour() < 12 ? "AM" : "PM"); break;
                case 'j': sb.append(String.format("%03d", dt.getDayOfYear())); break;
                case 'M': sb.append(dt.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
                case 'b': sb.append(dt.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
                case 'W': sb.append(dt.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH)); break;
                case 'a': sb.append(dt.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH)); break;
                case '%': sb.append('%'); break;
                default: sb.append('%').append(f);
            }
        }
        return sb.toString();
    }

    /** An environment over a case-insensitive map. */
    static Env env(Map<String, Object> values, ZoneId zone) {
        return new Env() {
            @Override
            public Object get(String name) {
                return values.get(name);
            }

            @Override
            public boolean has(String name) {
                return values.containsKey(name);
            }

            @Override
            public ZoneId zone() {
                return zone;
            }
        };
    }
}
