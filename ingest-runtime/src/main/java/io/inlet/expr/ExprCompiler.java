package io.inlet.expr;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Compiles an {@link Expr} into an {@link Evaluator} tree. Column names are resolved once, literal formats,
 * units, LIKE and regular-expression patterns are precompiled, and sub-trees made only of constants are
 * folded, so the per-row work is the evaluation itself.
 *
 * <p>Compile errors (unknown column, unknown function, wrong number of arguments, an invalid constant
 * argument such as a date_trunc unit) throw {@link ExprException} at the node's line and column.
 */
public final class ExprCompiler {
    private static final Object[] NO_ROW = new Object[0];

    private final ToIntFunction<String> columnIndex;
    final EvalContext ctx;

    private ExprCompiler(ToIntFunction<String> columnIndex, EvalContext ctx) {
        this.columnIndex = columnIndex;
        this.ctx = ctx;
    }

    /**
     * @param columnIndex maps a column name to its index in the row array, or -1 when there is no such column
     * @param ctx         the job time zone and clock
     */
    public static Evaluator compile(Expr e, ToIntFunction<String> columnIndex, EvalContext ctx) {
        return new ExprCompiler(columnIndex, ctx).compile(e);
    }

    /**
     * Like {@link #compile}, for a value the caller converts to {@code target} next. Where an
     * expression can produce that type directly, the evaluator does: {@code from_unixtime(ts)}
     * for a DATETIME column skips formatting a string only to parse it back. The result equals
     * what {@code Casts.cast(compile(e).eval(row), target)} gives.
     */
    public static Evaluator compileFor(Expr e, SqlType target, ToIntFunction<String> columnIndex, EvalContext ctx) {
        ExprCompiler compiler = new ExprCompiler(columnIndex, ctx);
        if (target.kind() == SqlType.Kind.DATETIME && e instanceof FunctionCall f && f.name().equals("from_unixtime")
                && f.args().size() == 1) {
            return Functions.fromUnixtimeAsDateTime(compiler.compile(f.args().get(0)), ctx.timezone());
        }
        return compiler.compile(e);
    }

    /** The names of all supported functions, sorted. */
    public static List<String> functionNames() {
        return Functions.names();
    }

    /** A constant; constant sub-trees fold into one. */
    static final class Const implements Evaluator {
        final Object value;

        Const(Object value) {
            this.value = value;
        }

        @Override
        public Object eval(Object[] row) {
            return value;
        }

        @Override
        public String toString() {
            return "Const(" + value + ")";
        }
    }

    static boolean isConst(Evaluator e) {
        return e instanceof Const;
    }

    static Object constValue(Evaluator e) {
        return ((Const) e).value;
    }

    /** Evaluates {@code ev} now when all its inputs are constants. */
    static Evaluator fold(Evaluator ev, Evaluator... inputs) {
        for (Evaluator in : inputs) {
            if (!(in instanceof Const)) {
                return ev;
            }
        }
        return new Const(ev.eval(NO_ROW));
    }

    static Evaluator fold(Evaluator ev, List<Evaluator> inputs) {
        return fold(ev, inputs.toArray(new Evaluator[0]));
    }

    ZoneId zone() {
        return ctx.timezone();
    }

    Evaluator compile(Expr e) {
        if (e instanceof Literal l) {
            return new Const(l.value());
        }
        if (e instanceof ColumnRef c) {
            int idx = columnIndex.applyAsInt(c.name());
            if (idx < 0) {
                throw new ExprException("unknown column '" + c.name() + "'", c);
            }
            return row -> idx < row.length ? row[idx] : null;
        }
        if (e instanceof BinaryOp b) {
            return binary(b);
        }
        if (e instanceof UnaryOp u) {
            Evaluator x = compile(u.operand());
            if (u.op() == UnaryOp.Op.NOT) {
                return fold(row -> {
                    Boolean v = Values.toBoolean(x.eval(row));
                    return v == null ? null : !v;
                }, x);
            }
            return fold(row -> Arith.negate(x.eval(row)), x);
        }
        if (e instanceof FunctionCall f) {
            List<Evaluator> args = new ArrayList<>(f.args().size());
            for (Expr a : f.args()) {
                args.add(compile(a));
            }
            return Functions.compile(this, f, args);
        }
        if (e instanceof CaseWhen c) {
            return caseWhen(c);
        }
        if (e instanceof Cast c) {
            Evaluator x = compile(c.expr());
            SqlType type = c.type();
            return fold(row -> {
                try {
                    return Casts.cast(x.eval(row), type);
                } catch (CastException ex) {
                    return null;
                }
            }, x);
        }
        if (e instanceof InList in) {
            return inList(in);
        }
        if (e instanceof Between b) {
            Evaluator x = compile(b.expr());
            Evaluator lo = compile(b.low());
            Evaluator hi = compile(b.high());
            boolean neg = b.negated();
            return fold(row -> {
                Object v = x.eval(row);
                if (v == null) {
                    return null;
                }
                int c1 = Values.compare(v, lo.eval(row));
                int c2 = Values.compare(v, hi.eval(row));
                Boolean ge = c1 == Values.INCOMPARABLE ? null : c1 >= 0;
                Boolean le = c2 == Values.INCOMPARABLE ? null : c2 <= 0;
                Boolean r = and(ge, le);
                return r == null ? null : r != neg;
            }, x, lo, hi);
        }
        if (e instanceof IsNull n) {
            Evaluator x = compile(n.expr());
            boolean neg = n.negated();
            return fold(row -> (x.eval(row) == null) != neg, x);
        }
        if (e instanceof Like l) {
            return like(l);
        }
        throw new ExprException("unsupported expression " + e.getClass().getSimpleName(), e);
    }

    private static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
            return Boolean.FALSE;
        }
        if (a == null || b == null) {
            return null;
        }
        return Boolean.TRUE;
    }

    private Evaluator binary(BinaryOp b) {
        Evaluator l = compile(b.left());
        Evaluator r = compile(b.right());
        Evaluator ev = switch (b.op()) {
            case AND -> row -> {
                Boolean x = Values.toBoolean(l.eval(row));
                if (Boolean.FALSE.equals(x)) {
                    return Boolean.FALSE;
                }
                Boolean y = Values.toBoolean(r.eval(row));
                if (Boolean.FALSE.equals(y)) {
                    return Boolean.FALSE;
                }
                return x == null || y == null ? null : Boolean.TRUE;
            };
            case OR -> row -> {
                Boolean x = Values.toBoolean(l.eval(row));
                if (Boolean.TRUE.equals(x)) {
                    return Boolean.TRUE;
                }
                Boolean y = Values.toBoolean(r.eval(row));
                if (Boolean.TRUE.equals(y)) {
                    return Boolean.TRUE;
                }
                return x == null || y == null ? null : Boolean.FALSE;
            };
            case EQ -> row -> {
                int c = Values.compare(l.eval(row), r.eval(row));
                return c == Values.INCOMPARABLE ? null : c == 0;
            };
            case NE -> row -> {
                int c = Values.compare(l.eval(row), r.eval(row));
                return c == Values.INCOMPARABLE ? null : c != 0;
            };
            case LT -> row -> {
                int c = Values.compare(l.eval(row), r.eval(row));
                return c == Values.INCOMPARABLE ? null : c < 0;
            };
            case LE -> row -> {
                int c = Values.compare(l.eval(row), r.eval(row));
                return c == Values.INCOMPARABLE ? null : c <= 0;
            };
            case GT -> row -> {
                int c = Values.compare(l.eval(row), r.eval(row));
                return c == Values.INCOMPARABLE ? null : c > 0;
            };
            case GE -> row -> {
                int c = Values.compare(l.eval(row), r.eval(row));
                return c == Values.INCOMPARABLE ? null : c >= 0;
            };
            case NULL_SAFE_EQ -> row -> {
                Object x = l.eval(row);
                Object y = r.eval(row);
                if (x == null || y == null) {
                    return x == null && y == null;
                }
                return Values.compare(x, y) == 0;
            };
            case ADD -> row -> Arith.add(l.eval(row), r.eval(row));
            case SUB -> row -> Arith.subtract(l.eval(row), r.eval(row));
            case MUL -> row -> Arith.multiply(l.eval(row), r.eval(row));
            case DIVIDE -> row -> Arith.divide(l.eval(row), r.eval(row));
            case INT_DIVIDE -> row -> Arith.intDivide(l.eval(row), r.eval(row));
            case MOD -> row -> Arith.modulo(l.eval(row), r.eval(row));
        };
        return fold(ev, l, r);
    }

    private Evaluator caseWhen(CaseWhen c) {
        int n = c.whens().size();
        Evaluator[] whens = new Evaluator[n];
        Evaluator[] thens = new Evaluator[n];
        List<Evaluator> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            whens[i] = compile(c.whens().get(i).when());
            thens[i] = compile(c.whens().get(i).then());
            all.add(whens[i]);
            all.add(thens[i]);
        }
        Evaluator otherwise = c.elseExpr() == null ? new Const(null) : compile(c.elseExpr());
        all.add(otherwise);
        Evaluator ev;
        if (c.operand() != null) {
            Evaluator operand = compile(c.operand());
            all.add(operand);
            ev = row -> {
                Object v = operand.eval(row);
                if (v != null) {
                    for (int i = 0; i < n; i++) {
                        if (Values.compare(v, whens[i].eval(row)) == 0) {
                            return thens[i].eval(row);
                        }
                    }
                }
                return otherwise.eval(row);
            };
        } else {
            ev = row -> {
                for (int i = 0; i < n; i++) {
                    if (Boolean.TRUE.equals(Values.toBoolean(whens[i].eval(row)))) {
                        return thens[i].eval(row);
                    }
                }
                return otherwise.eval(row);
            };
        }
        return fold(ev, all);
    }

    private Evaluator inList(InList in) {
        Evaluator x = compile(in.expr());
        int n = in.values().size();
        Evaluator[] vals = new Evaluator[n];
        boolean allConst = true;
        boolean allStrings = true;
        boolean hasNull = false;
        for (int i = 0; i < n; i++) {
            vals[i] = compile(in.values().get(i));
            if (vals[i] instanceof Const k) {
                if (k.value == null) {
                    hasNull = true;
                } else if (!(k.value instanceof String)) {
                    allStrings = false;
                }
            } else {
                allConst = false;
            }
        }
        boolean neg = in.negated();
        Set<String> strings = null;
        if (allConst && allStrings) {
            strings = new HashSet<>();
            for (Evaluator v : vals) {
                if (((Const) v).value != null) {
                    strings.add((String) ((Const) v).value);
                }
            }
        }
        Set<String> stringSet = strings;
        boolean listHasNull = hasNull;
        Evaluator ev = row -> {
            Object v = x.eval(row);
            if (v == null) {
                return null;
            }
            if (stringSet != null && v instanceof String s) {
                if (stringSet.contains(s)) {
                    return !neg;
                }
                return listHasNull ? null : neg;
            }
            boolean sawNull = false;
            for (Evaluator e : vals) {
                int c = Values.compare(v, e.eval(row));
                if (c == 0) {
                    return !neg;
                }
                if (c == Values.INCOMPARABLE) {
                    sawNull = true;
                }
            }
            return sawNull ? null : neg;
        };
        List<Evaluator> inputs = new ArrayList<>(List.of(vals));
        inputs.add(x);
        return fold(ev, inputs);
    }

    private Evaluator like(Like l) {
        Evaluator x = compile(l.expr());
        Evaluator p = compile(l.pattern());
        boolean neg = l.negated();
        if (p instanceof Const k) {
            if (k.value == null) {
                return new Const(null);
            }
            LikeMatcher m = LikeMatcher.compile(Values.toStr(k.value));
            return fold(row -> {
                Object v = x.eval(row);
                return v == null ? null : m.matches(Values.toStr(v)) != neg;
            }, x);
        }
        LikeMatcher[] cache = new LikeMatcher[1];
        return row -> {
            Object v = x.eval(row);
            Object pv = p.eval(row);
            if (v == null || pv == null) {
                return null;
            }
            String ps = Values.toStr(pv);
            LikeMatcher m = cache[0];
            if (m == null || !m.pattern.equals(ps)) {
                m = LikeMatcher.compile(ps);
                cache[0] = m;
            }
            return m.matches(Values.toStr(v)) != neg;
        };
    }

    /** SQL LIKE: {@code %} any run, {@code _} any one character, backslash escapes the next character. */
    static final class LikeMatcher {
        enum Kind { EXACT, PREFIX, SUFFIX, CONTAINS, ANY, REGEX }

        final String pattern;
        final Kind kind;
        final String text;
        final java.util.regex.Pattern regex;

        private LikeMatcher(String pattern, Kind kind, String text, java.util.regex.Pattern regex) {
            this.pattern = pattern;
            this.kind = kind;
            this.text = text;
            this.regex = regex;
        }

        static LikeMatcher compile(String p) {
            StringBuilder lit = new StringBuilder();
            StringBuilder re = new StringBuilder();
            boolean leading = false;
            boolean trailing = false;
            boolean inner = false; // a wildcard in the middle, or '_'
            int n = p.length();
            for (int i = 0; i < n; i++) {
                char c = p.charAt(i);
                if (c == '\\' && i + 1 < n) {
                    char next = p.charAt(++i);
                    lit.append(next);
                    re.append(java.util.regex.Pattern.quote(String.valueOf(next)));
                    if (trailing) {
                        inner = true;
                    }
                } else if (c == '%') {
                    re.append(".*");
                    if (lit.length() == 0 && !inner && !trailing) {
                        leading = true;
                    } else {
                        trailing = true;
                    }
                } else if (c == '_') {
                    re.append('.');
                    inner = true;
                } else {
                    if (trailing) {
                        inner = true;
                    }
                    lit.append(c);
                    re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
                }
            }
            java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(re.toString(),
                    java.util.regex.Pattern.DOTALL);
            if (inner) {
                return new LikeMatcher(p, Kind.REGEX, null, compiled);
            }
            String t = lit.toString();
            Kind k;
            if (leading && trailing) {
                k = Kind.CONTAINS;
            } else if (leading) {
                k = t.isEmpty() ? Kind.ANY : Kind.SUFFIX;
            } else if (trailing) {
                k = Kind.PREFIX;
            } else {
                k = Kind.EXACT;
            }
            return new LikeMatcher(p, k, t, compiled);
        }

        boolean matches(String s) {
            return switch (kind) {
                case EXACT -> s.equals(text);
                case PREFIX -> s.startsWith(text);
                case SUFFIX -> s.endsWith(text);
                case CONTAINS -> s.contains(text);
                case ANY -> true;
                case REGEX -> regex.matcher(s).matches();
            };
        }
    }

    /** LocalDateTime of "now" in the job time zone, whole seconds. */
    LocalDateTime now() {
        return LocalDateTime.ofInstant(ctx.clock().instant(), ctx.timezone()).withNano(0);
    }

    LocalDate today() {
        return LocalDate.ofInstant(ctx.clock().instant(), ctx.timezone());
    }
}
