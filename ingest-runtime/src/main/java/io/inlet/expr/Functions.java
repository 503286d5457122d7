package io.inlet.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.inlet.expr.ExprCompiler.fold;
import static io.inlet.expr.ExprCompiler.isConst;
import static io.inlet.expr.ExprCompiler.constValue;

/** The built-in functions (StarRocks semantics). A conversion that fails inside a function yields NULL. */
final class Functions {
    private Functions() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @FunctionalInterface
    interface Builder {
        Evaluator build(ExprCompiler c, FunctionCall call, Evaluator[] a);
    }

    /** Arity bounds ({@code max = -1}: variadic) and whether results may be folded at compile time. */
    record Def(int min, int max, boolean deterministic, Builder builder) {
    }

    private static final Map<String, Def> DEFS = new HashMap<>();

    private static void def(String name, int min, int max, Builder b) {
        DEFS.put(name, new Def(min, max, true, b));
    }

    private static void volatileDef(String name, int min, int max, Builder b) {
        DEFS.put(name, new Def(min, max, false, b));
    }

    static List<String> names() {
        return DEFS.keySet().stream().sorted().toList();
    }

    static Evaluator compile(ExprCompiler c, FunctionCall call, List<Evaluator> args) {
        Def def = DEFS.get(call.name());
        if (def == null) {
            throw new ExprException("unknown function '" + call.name() + "'", call);
        }
        int n = args.size();
        if (n < def.min || (def.max >= 0 && n > def.max)) {
            throw new ExprException("function '" + call.name() + "' expects " + arity(def) + ", got " + n, call);
        }
        Evaluator[] a = args.toArray(new Evaluator[0]);
        Evaluator ev = def.builder.build(c, call, a);
        return def.deterministic ? fold(ev, a) : ev;
    }

    private static String arity(Def d) {
        if (d.max == d.min) {
            return d.min + (d.min == 1 ? " argument" : " arguments");
        }
        if (d.max < 0) {
            return "at least " + d.min + (d.min == 1 ? " argument" : " arguments");
        }
        if (d.max == d.min + 1) {
            return d.min + " or " + d.max + " arguments";
        }
        return d.min + " to " + d.max + " arguments";
    }

    private static String constString(Evaluator e) {
        return Values.toStr(constValue(e));
    }

    // ======================================================================================= date and time

    static {
        def("from_unixtime", 1, 2, (c, call, a) -> {
            Evaluator ts = a[0];
            java.time.ZoneId zone = c.zone();
            if (a.length == 1) {
                return row -> {
                    Long s = epoch(ts.eval(row));
                    return s == null ? null : Values.formatDateTime(Temporals.ofEpochSecond(s, zone));
                };
            }
            Evaluator fmt = a[1];
            if (isConst(fmt)) {
                MysqlDateFormat f = MysqlDateFormat.compile(constString(fmt));
                if (f == null) {
                    return row -> null;
                }
                if (f.pattern().equals("%Y-%m-%d %H:%i:%s") || f.pattern().equals("yyyy-MM-dd HH:mm:ss")) {
                    return row -> {
                        Long s = epoch(ts.eval(row));
                        return s == null ? null : Values.formatDateTime(Temporals.ofEpochSecond(s, zone));
                    };
                }
                return row -> {
                    Long s = epoch(ts.eval(row));
                    return s == null ? null : f.format(Temporals.ofEpochSecond(s, zone));
                };
            }
            FormatCache cache = new FormatCache();
            return row -> {
                Long s = epoch(ts.eval(row));
                MysqlDateFormat f = cache.get(Values.toStr(fmt.eval(row)));
                return s == null || f == null ? null : f.format(Temporals.ofEpochSecond(s, zone));
            };
        });

        volatileDef("unix_timestamp", 0, 2, (c, call, a) -> {
            java.time.ZoneId zone = c.zone();
            if (a.length == 0) {
                return row -> c.ctx.clock().instant().getEpochSecond();
            }
            Evaluator dt = a[0];
            if (a.length == 1) {
                return fold(row -> {
                    LocalDateTime t = Values.toDateTime(dt.eval(row));
                    return t == null ? null : clampUnix(Temporals.toEpochSecond(t, zone));
                }, dt);
            }
            Evaluator fmt = a[1];
            FormatCache cache = new FormatCache();
            MysqlDateFormat fixed = isConst(fmt) ? MysqlDateFormat.compile(constString(fmt)) : null;
            boolean constFmt = isConst(fmt);
            return fold(row -> {
                Object v = dt.eval(row);
                if (v == null) {
                    return null;
                }
                LocalDateTime t;
                if (v instanceof LocalDateTime || v instanceof LocalDate) {
                    t = Values.toDateTime(v);
                } else {
                    MysqlDateFormat f = constFmt ? fixed : cache.get(Values.toStr(fmt.eval(row)));
                    if (f == null) {
                        return null;
                    }
                    t = toDateTime(f.parse(Values.toStr(v)));
                }
                return t == null ? null : clampUnix(Temporals.toEpochSecond(t, zone));
            }, dt, fmt);
        });

        def("str_to_date", 2, 2, (c, call, a) -> {
            Evaluator s = a[0];
            Evaluator fmt = a[1];
            if (isConst(fmt)) {
                MysqlDateFormat f = MysqlDateFormat.compile(constString(fmt));
                if (f == null) {
                    return row -> null;
                }
                return row -> {
                    Object v = s.eval(row);
                    return v == null ? null : f.parse(Values.toStr(v));
                };
            }
            FormatCache cache = new FormatCache();
            return row -> {
                Object v = s.eval(row);
                MysqlDateFormat f = cache.get(Values.toStr(fmt.eval(row)));
                return v == null || f == null ? null : f.parse(Values.toStr(v));
            };
        });

        def("date_format", 2, 2, (c, call, a) -> {
            Evaluator dt = a[0];
            Evaluator fmt = a[1];
            if (isConst(fmt)) {
                MysqlDateFormat f = MysqlDateFormat.compile(constString(fmt));
                if (f == null) {
                    return row -> null;
                }
                return row -> {
                    LocalDateTime t = Values.toDateTime(dt.eval(row));
                    return t == null ? null : f.format(t);
                };
            }
            FormatCache cache = new FormatCache();
            return row -> {
                LocalDateTime t = Values.toDateTime(dt.eval(row));
                MysqlDateFormat f = cache.get(Values.toStr(fmt.eval(row)));
                return t == null || f == null ? null : f.format(t);
            };
        });

        def("date_trunc", 2, 2, (c, call, a) -> {
            Evaluator unit = a[0];
            Evaluator dt = a[1];
            if (isConst(unit)) {
                String u = constString(unit);
                TruncUnit tu = u == null ? null : TruncUnit.of(u);
                if (tu == null) {
                    throw new ExprException("date_trunc unit " + (u == null ? "NULL" : "'" + u + "'")
                            + " is not one of " + TruncUnit.names(), call.args().get(0));
                }
                return row -> truncate(tu, dt.eval(row));
            }
            return row -> {
                String u = Values.toStr(unit.eval(row));
                TruncUnit tu = u == null ? null : TruncUnit.of(u);
                return tu == null ? null : truncate(tu, dt.eval(row));
            };
        });

        Builder now = (c, call, a) -> row -> c.now();
        volatileDef("now", 0, 0, now);
        volatileDef("current_timestamp", 0, 0, now);
        volatileDef("localtime", 0, 0, now);
        volatileDef("localtimestamp", 0, 0, now);
        Builder today = (c, call, a) -> row -> c.today();
        volatileDef("curdate", 0, 0, today);
        volatileDef("current_date", 0, 0, today);

        def("to_date", 1, 1, (c, call, a) -> row -> Values.toDate(a[0].eval(row)));
        def("date", 1, 1, (c, call, a) -> row -> Values.toDate(a[0].eval(row)));
        datePart("year", t -> t.getYear());
        datePart("month", t -> t.getMonthValue());
        datePart("day", t -> t.getDayOfMonth());
        datePart("dayofmonth", t -> t.getDayOfMonth());
        datePart("hour", t -> t.getHour());
        datePart("minute", t -> t.getMinute());
        datePart("second", t -> t.getSecond());
        datePart("quarter", t -> (t.getMonthValue() - 1) / 3 + 1);
        datePart("dayofweek", t -> t.getDayOfWeek().getValue() % 7 + 1);
        datePart("dayofyear", t -> t.getDayOfYear());
        datePart("weekofyear", t -> t.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private static void datePart(String name, java.util.function.ToIntFunction<LocalDateTime> part) {
        def(name, 1, 1, (c, call, a) -> row -> {
            LocalDateTime t = Values.toDateTime(a[0].eval(row));
            return t == null ? null : (Object) (long) part.applyAsInt(t);
        });
    }

    /** Keeps the last compiled format for formats that vary per row. */
    private static final class FormatCache {
        private String last;
        private MysqlDateFormat compiled;

        MysqlDateFormat get(String fmt) {
            if (fmt == null) {
                return null;
            }
            if (!fmt.equals(last)) {
                last = fmt;
                compiled = MysqlDateFormat.compile(fmt);
            }
            return compiled;
        }
    }

    /** from_unixtime(ts) as the DATETIME its text denotes, for a DATETIME target (see ExprCompiler.compileFor). */
    static Evaluator fromUnixtimeAsDateTime(Evaluator ts, java.time.ZoneId zone) {
        return row -> {
            Long s = epoch(ts.eval(row));
            return s == null ? null : Temporals.ofEpochSecond(s, zone);
        };
    }

    /** StarRocks' from_unixtime range: 0 .. 253402243199, else NULL. */
    private static Long epoch(Object v) {
        Long s = Values.toLong(v);
        if (s == null || s < 0 || s > 253402243199L) {
            return null;
        }
        return s;
    }

    /** unix_timestamp returns 0 outside 1970-01-01 00:00:00 .. 2038-01-19 03:14:07 UTC. */
    private static long clampUnix(long s) {
        return s < 0 || s > Integer.MAX_VALUE ? 0L : s;
    }

    private static LocalDateTime toDateTime(Temporal t) {
        if (t instanceof LocalDateTime ldt) {
            return ldt;
        }
        if (t instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        return null;
    }

    enum TruncUnit {
        MICROSECOND, MILLISECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR;

        static TruncUnit of(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        static String names() {
            StringBuilder sb = new StringBuilder();
            for (TruncUnit u : values()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(u.name().toLowerCase(Locale.ROOT));
            }
            return sb.toString();
        }
    }

    private static Object truncate(TruncUnit u, Object v) {
        if (v instanceof LocalDate d) {
            return switch (u) {
                case WEEK -> d.minusDays(d.getDayOfWeek().getValue() - 1L);
                case MONTH -> d.withDayOfMonth(1);
                case QUARTER -> LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1);
                case YEAR -> d.withDayOfYear(1);
                default -> d;
            };
        }
        LocalDateTime t = Values.toDateTime(v);
        if (t == null) {
            return null;
        }
        return switch (u) {
            case MICROSECOND -> t.truncatedTo(ChronoUnit.MICROS);
            case MILLISECOND -> t.truncatedTo(ChronoUnit.MILLIS);
            case SECOND -> t.truncatedTo(ChronoUnit.SECONDS);
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case WEEK -> t.toLocalDate().minusDays(t.getDayOfWeek().getValue() - 1L).atStartOfDay();
            case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay();
            case QUARTER -> LocalDate.of(t.getYear(), (t.getMonthValue() - 1) / 3 * 3 + 1, 1).atStartOfDay();
            case YEAR -> t.toLocalDate().withDayOfYear(1).atStartOfDay();
        };
    }

    // ======================================================================================= strings

    static {
        def("concat", 1, -1, (c, call, a) -> row -> {
            StringBuilder sb = new StringBuilder();
            for (Evaluator e : a) {
                String s = Values.toStr(e.eval(row));
                if (s == null) {
                    return null;
                }
                sb.append(s);
            }
            return sb.toString();
        });
        def("concat_ws", 2, -1, (c, call, a) -> row -> {
            String sep = Values.toStr(a[0].eval(row));
            if (sep == null) {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            boolean first = true;
            for (int i = 1; i < a.length; i++) {
                String s = Values.toStr(a[i].eval(row));
                if (s != null) {
                    if (!first) {
                        sb.append(sep);
                    }
                    sb.append(s);
                    first = false;
                }
            }
            return sb.toString();
        });
        Builder substr = (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            Long pos = Values.toLong(a[1].eval(row));
            if (s == null || pos == null) {
                return null;
            }
            long len = Long.MAX_VALUE;
            if (a.length == 3) {
                Long l = Values.toLong(a[2].eval(row));
                if (l == null) {
                    return null;
                }
                len = l;
            }
            return substring(s, pos, len);
        };
        def("substr", 2, 3, substr);
        def("substring", 2, 3, substr);
        Builder lower = (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        };
        def("lower", 1, 1, lower);
        def("lcase", 1, 1, lower);
        Builder upper = (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            return s == null ? null : s.toUpperCase(Locale.ROOT);
        };
        def("upper", 1, 1, upper);
        def("ucase", 1, 1, upper);
        def("trim", 1, 2, (c, call, a) -> trimmer(a, true, true));
        def("ltrim", 1, 2, (c, call, a) -> trimmer(a, true, false));
        def("rtrim", 1, 2, (c, call, a) -> trimmer(a, false, true));
        def("length", 1, 1, (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            return s == null ? null : (Object) (long) Values.utf8Length(s);
        });
        Builder charLength = (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            return s == null ? null : (Object) (long) s.codePointCount(0, s.length());
        };
        def("char_length", 1, 1, charLength);
        def("character_length", 1, 1, charLength);
        def("replace", 3, 3, (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            String from = Values.toStr(a[1].eval(row));
            String to = Values.toStr(a[2].eval(row));
            if (s == null || from == null || to == null) {
                return null;
            }
            return from.isEmpty() ? s : s.replace(from, to);
        });
        def("split_part", 3, 3, (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            String d = Values.toStr(a[1].eval(row));
            Long n = Values.toLong(a[2].eval(row));
            if (s == null || d == null || n == null || d.isEmpty() || n == 0) {
                return null;
            }
            List<String> parts = new ArrayList<>();
            int from = 0;
            int at;
            while ((at = s.indexOf(d, from)) >= 0) {
                parts.add(s.substring(from, at));
                from = at + d.length();
            }
            parts.add(s.substring(from));
            long idx = n > 0 ? n - 1 : parts.size() + n;
            return idx < 0 || idx >= parts.size() ? null : parts.get((int) idx);
        });
        def("left", 2, 2, (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            Long n = Values.toLong(a[1].eval(row));
            return s == null || n == null ? null : substring(s, 1, n);
        });
        def("right", 2, 2, (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            Long n = Values.toLong(a[1].eval(row));
            if (s == null || n == null) {
                return null;
            }
            int len = s.codePointCount(0, s.length());
            return n <= 0 ? "" : n >= len ? s : substring(s, -n, n);
        });
        def("lpad", 3, 3, (c, call, a) -> padder(a, true));
        def("rpad", 3, 3, (c, call, a) -> padder(a, false));
        def("starts_with", 2, 2, (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            String p = Values.toStr(a[1].eval(row));
            return s == null || p == null ? null : s.startsWith(p);
        });
        def("ends_with", 2, 2, (c, call, a) -> row -> {
            String s = Values.toStr(a[0].eval(row));
            String p = Values.toStr(a[1].eval(row));
            return s == null || p == null ? null : s.endsWith(p);
        });
        def("regexp_extract", 3, 3, (c, call, a) -> {
            RegexCache rc = regex(call, a[1]);
            return row -> {
                String s = Values.toStr(a[0].eval(row));
                Pattern p = rc.get(Values.toStr(a[1].eval(row)));
                Long g = Values.toLong(a[2].eval(row));
                if (s == null || p == null || g == null) {
                    return null;
                }
                Matcher m = p.matcher(s);
                if (!m.find() || g < 0 || g > m.groupCount()) {
                    return "";
                }
                String r = m.group(g.intValue());
                return r == null ? "" : r;
            };
        });
        def("regexp_replace", 3, 3, (c, call, a) -> {
            RegexCache rc = regex(call, a[1]);
            return row -> {
                String s = Values.toStr(a[0].eval(row));
                Pattern p = rc.get(Values.toStr(a[1].eval(row)));
                String r = Values.toStr(a[2].eval(row));
                if (s == null || p == null || r == null) {
                    return null;
                }
                return p.matcher(s).replaceAll(javaReplacement(r));
            };
        });
    }

    /** 1-based, code-point aware; a negative start counts from the end; out of range gives ''. */
    static String substring(String s, long pos, long len) {
        int n = s.codePointCount(0, s.length());
        long start;
        if (pos > 0) {
            start = pos - 1;
        } else if (pos < 0) {
            start = n + pos;
        } else {
            return "";
        }
        if (start < 0 || start >= n || len <= 0) {
            return "";
        }
        long end = Math.min(n, start + Math.min(len, (long) n));
        int b = s.offsetByCodePoints(0, (int) start);
        int e = s.offsetByCodePoints(b, (int) (end - start));
        return s.substring(b, e);
    }

    private static Evaluator trimmer(Evaluator[] a, boolean left, boolean right) {
        return row -> {
            String s = Values.toStr(a[0].eval(row));
            if (s == null) {
                return null;
            }
            String chars = " ";
            if (a.length == 2) {
                chars = Values.toStr(a[1].eval(row));
                if (chars == null) {
                    return null;
                }
            }
            int b = 0;
            int e = s.length();
            if (left) {
                while (b < e && chars.indexOf(s.charAt(b)) >= 0) {
                    b++;
                }
            }
            if (right) {
                while (e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
                    e--;
                }
            }
            return s.substring(b, e);
        };
    }

    private static Evaluator padder(Evaluator[] a, boolean left) {
        return row -> {
            String s = Values.toStr(a[0].eval(row));
            Long len = Values.toLong(a[1].eval(row));
            String pad = Values.toStr(a[2].eval(row));
            if (s == null || len == null || pad == null || len < 0 || len > 1_048_576) {
                return null;
            }
            int n = s.codePointCount(0, s.length());
            if (len <= n) {
                return substring(s, 1, len);
            }
            if (pad.isEmpty()) {
                return null;
            }
            StringBuilder fill = new StringBuilder();
            long need = len - n;
            int pn = pad.codePointCount(0, pad.length());
            while (need > 0) {
                if (need >= pn) {
                    fill.append(pad);
                    need -= pn;
                } else {
                    fill.append(substring(pad, 1, need));
                    need = 0;
                }
            }
            return left ? fill + s : s + fill;
        };
    }

    private static final class RegexCache {
        private final Pattern fixed;
        private String last;
        private Pattern compiled;

        RegexCache(Pattern fixed) {
            this.fixed = fixed;
        }

        Pattern get(String p) {
            if (fixed != null) {
                return fixed;
            }
            if (p == null) {
                return null;
            }
            if (!p.equals(last)) {
                last = p;
                try {
                    compiled = Pattern.compile(p);
                } catch (PatternSyntaxException e) {
                    compiled = null;
                }
            }
            return compiled;
        }
    }

    private static RegexCache regex(FunctionCall call, Evaluator pattern) {
        if (isConst(pattern) && constValue(pattern) != null) {
            String p = constString(pattern);
            try {
                return new RegexCache(Pattern.compile(p));
            } catch (PatternSyntaxException e) {
                throw new ExprException("invalid regular expression '" + p + "': " + e.getDescription(),
                        call.args().get(1));
            }
        }
        return new RegexCache(null);
    }

    /** RE2-style {@code \1} back-references to Java's {@code $1}; other '$' and '\' are literal. */
    private static String javaReplacement(String r) {
        StringBuilder sb = new StringBuilder(r.length());
        for (int i = 0; i < r.length(); i++) {
            char ch = r.charAt(i);
            if (ch == '\\' && i + 1 < r.length() && Character.isDigit(r.charAt(i + 1))) {
                sb.append('$').append(r.charAt(++i));
            } else if (ch == '$' || ch == '\\') {
                sb.append('\\').append(ch);
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    // ======================================================================================= conditionals

    static {
        def("coalesce", 1, -1, (c, call, a) -> row -> {
            for (Evaluator e : a) {
                Object v = e.eval(row);
                if (v != null) {
                    return v;
                }
            }
            return null;
        });
        def("ifnull", 2, 2, (c, call, a) -> row -> {
            Object v = a[0].eval(row);
            return v != null ? v : a[1].eval(row);
        });
        def("nvl", 2, 2, (c, call, a) -> row -> {
            Object v = a[0].eval(row);
            return v != null ? v : a[1].eval(row);
        });
        def("nullif", 2, 2, (c, call, a) -> row -> {
            Object v = a[0].eval(row);
            if (v == null) {
                return null;
            }
            return Values.compare(v, a[1].eval(row)) == 0 ? null : v;
        });
        def("if", 3, 3, (c, call, a) -> row ->
                Boolean.TRUE.equals(Values.toBoolean(a[0].eval(row))) ? a[1].eval(row) : a[2].eval(row));
        def("isnull", 1, 1, (c, call, a) -> row -> a[0].eval(row) == null);
        def("isnotnull", 1, 1, (c, call, a) -> row -> a[0].eval(row) != null);
        def("greatest", 1, -1, (c, call, a) -> extreme(a, 1));
        def("least", 1, -1, (c, call, a) -> extreme(a, -1));
    }

    private static Evaluator extreme(Evaluator[] a, int sign) {
        return row -> {
            Object best = null;
            for (Evaluator e : a) {
                Object v = e.eval(row);
                if (v == null) {
                    return null;
                }
                if (best == null) {
                    best = v;
                } else {
                    int cmp = Values.compare(v, best);
                    if (cmp == Values.INCOMPARABLE) {
                        return null;
                    }
                    if (cmp * sign > 0) {
                        best = v;
                    }
                }
            }
            return best;
        };
    }

    // ======================================================================================= math

    static {
        def("abs", 1, 1, (c, call, a) -> row -> Arith.abs(a[0].eval(row)));
        def("mod", 2, 2, (c, call, a) -> row -> Arith.modulo(a[0].eval(row), a[1].eval(row)));
        def("round", 1, 2, (c, call, a) -> row -> {
            Object x = Values.toNumber(a[0].eval(row));
            if (x == null) {
                return null;
            }
            int d = 0;
            if (a.length == 2) {
                Long dl = Values.toLong(a[1].eval(row));
                if (dl == null) {
                    return null;
                }
                d = (int) Math.max(-38, Math.min(38, dl));
            }
            return round(x, d);
        });
        def("floor", 1, 1, (c, call, a) -> row -> integral(a[0].eval(row), RoundingMode.FLOOR));
        def("ceil", 1, 1, (c, call, a) -> row -> integral(a[0].eval(row), RoundingMode.CEILING));
        def("ceiling", 1, 1, (c, call, a) -> row -> integral(a[0].eval(row), RoundingMode.CEILING));
    }

    private static Object round(Object x, int d) {
        if (x instanceof Long l) {
            if (d >= 0) {
                return l;
            }
            return Values.normalize(BigDecimal.valueOf(l).setScale(d, RoundingMode.HALF_UP).toBigInteger());
        }
        if (x instanceof BigInteger bi) {
            return d >= 0 ? bi : Values.normalize(new BigDecimal(bi).setScale(d, RoundingMode.HALF_UP)
                    .toBigInteger());
        }
        if (x instanceof Double v) {
            if (!Double.isFinite(v)) {
                return v;
            }
            return BigDecimal.valueOf(v).setScale(d, RoundingMode.HALF_UP).doubleValue();
        }
        BigDecimal bd = ((BigDecimal) x).setScale(d, RoundingMode.HALF_UP);
        return d < 0 ? bd.setScale(0) : bd;
    }

    private static Object integral(Object v, RoundingMode mode) {
        Object x = Values.toNumber(v);
        if (x == null) {
            return null;
        }
        if (x instanceof Long || x instanceof BigInteger) {
            return x;
        }
        BigDecimal bd = x instanceof Double d ? (Double.isFinite(d) ? BigDecimal.valueOf(d) : null)
                : (BigDecimal) x;
        return bd == null ? null : Values.normalize(bd.setScale(0, mode).toBigInteger());
    }

    // ======================================================================================= JSON

    static {
        def("get_json_string", 2, 2, (c, call, a) -> json(call, a, node ->
                node.isValueNode() ? node.asText() : node.toString()));
        def("json_query", 2, 2, (c, call, a) -> json(call, a, JsonNode::toString));
        def("get_json_int", 2, 2, (c, call, a) -> json(call, a, node ->
                node.isNumber() || node.isTextual() ? Values.toLong(node.isNumber() ? node.numberValue()
                        : node.asText()) : null));
        def("get_json_double", 2, 2, (c, call, a) -> json(call, a, node ->
                node.isNumber() || node.isTextual() ? Values.toDouble(node.isNumber()
                        ? (Object) node.doubleValue() : node.asText()) : null));
    }

    private static Evaluator json(FunctionCall call, Evaluator[] a,
                                  java.util.function.Function<JsonNode, Object> out) {
        Evaluator doc = a[0];
        Evaluator path = a[1];
        Object[] fixed = null;
        if (isConst(path)) {
            String p = constString(path);
            fixed = p == null ? null : JsonPath.compile(p);
            if (p != null && fixed == null) {
                throw new ExprException("invalid JSON path '" + p + "'", call.args().get(1));
            }
            if (p == null) {
                return row -> null;
            }
        }
        Object[] steps = fixed;
        return row -> {
            String text = Values.toStr(doc.eval(row));
            if (text == null) {
                return null;
            }
            Object[] st = steps;
            if (st == null) {
                String p = Values.toStr(path.eval(row));
                st = p == null ? null : JsonPath.compile(p);
                if (st == null) {
                    return null;
                }
            }
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (Exception e) {
                return null;
            }
            node = JsonPath.select(node, st);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return null;
            }
            return out.apply(node);
        };
    }

    /** A JSON path {@code $.a.b[0]}, {@code $."a.b"}, {@code $['a']} as steps: String keys and Integer indexes. */
    static final class JsonPath {
        static Object[] compile(String p) {
            String s = p.trim();
            int i = 0;
            int n = s.length();
            List<Object> steps = new ArrayList<>();
            if (i < n && s.charAt(i) == '$') {
                i++;
            } else if (n > 0) {
                s = "." + s; // bare 'a.b' means '$.a.b'
                n = s.length();
            }
            while (i < n) {
                char ch = s.charAt(i);
                if (ch == '.') {
                    i++;
                    if (i < n && s.charAt(i) == '"') {
                        int end = s.indexOf('"', i + 1);
                        if (end < 0) {
                            return null;
                        }
                        steps.add(s.substring(i + 1, end));
                        i = end + 1;
                    } else {
                        int st = i;
                        while (i < n && s.charAt(i) != '.' && s.charAt(i) != '[') {
                            i++;
                        }
                        if (i == st) {
                            return null;
                        }
                        steps.add(s.substring(st, i));
                    }
                } else if (ch == '[') {
                    int end = s.indexOf(']', i);
                    if (end < 0) {
                        return null;
                    }
                    String in = s.substring(i + 1, end).trim();
                    if (in.length() >= 2 && (in.charAt(0) == '\'' || in.charAt(0) == '"')
                            && in.charAt(in.length() - 1) == in.charAt(0)) {
                        steps.add(in.substring(1, in.length() - 1));
                    } else {
                        try {
                            steps.add(Integer.parseInt(in));
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                    i = end + 1;
                } else {
                    return null;
                }
            }
            return steps.toArray();
        }

        static JsonNode select(JsonNode node, Object[] steps) {
            for (Object st : steps) {
                if (node == null) {
                    return null;
                }
                if (st instanceof Integer idx) {
                    node = node.isArray() ? node.get(idx < 0 ? node.size() + idx : idx) : null;
                } else {
                    node = node.isObject() ? node.get((String) st) : null;
                }
            }
            return node;
        }
    }

    // ======================================================================================= Kafka metadata

    static {
        volatileDef("kafka_key", 0, 0, (c, call, a) -> KafkaMetadataFunctions.key(c.ctx.message()));
        volatileDef("kafka_header", 1, 1, (c, call, a) -> KafkaMetadataFunctions.header(c.ctx.message(), a[0]));
        volatileDef("kafka_timestamp", 0, 0, (c, call, a) -> KafkaMetadataFunctions.timestamp(c.ctx.message(), c.zone()));
        volatileDef("kafka_timestamp_type", 0, 0, (c, call, a) -> KafkaMetadataFunctions.timestampType(c.ctx.message()));
        volatileDef("kafka_partition", 0, 0, (c, call, a) -> KafkaMetadataFunctions.partition(c.ctx.message()));
        volatileDef("kafka_offset", 0, 0, (c, call, a) -> KafkaMetadataFunctions.offset(c.ctx.message()));
    }
}
