package io.inlet.expr;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The functions that read the Kafka message a row came from, usable in COLUMNS and WHERE:
 * <ul>
 *   <li>{@code kafka_key()}: the key as UTF-8 text, NULL without a key;</li>
 *   <li>{@code kafka_header('name')}: the value of the last header of that name as UTF-8 text, NULL without one;</li>
 *   <li>{@code kafka_timestamp()}: the message timestamp as a DATETIME (milliseconds) in the job's time zone;</li>
 *   <li>{@code kafka_timestamp_type()}: {@code CreateTime} or {@code LogAppendTime};</li>
 *   <li>{@code kafka_partition()}, {@code kafka_offset()}: where the message is.</li>
 * </ul>
 * They read the message only when evaluated, so a job that uses none pays nothing for them.
 */
public final class KafkaMetadataFunctions {

    public static final List<String> NAMES = List.of("kafka_key", "kafka_header", "kafka_timestamp",
            "kafka_timestamp_type", "kafka_partition", "kafka_offset");

    private KafkaMetadataFunctions() {
    }

    /** The calls of Kafka metadata functions in {@code e}, as written ({@code kafka_header('source')}), in order. */
    public static Set<String> callsIn(Expr e) {
        Set<String> out = new LinkedHashSet<>();
        collect(e, out);
        return out;
    }

    /** Whether any of {@code exprs} (nulls allowed) reads Kafka metadata. */
    public static boolean anyIn(List<Expr> exprs) {
        for (Expr e : exprs) {
            if (e != null && !callsIn(e).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static void collect(Expr e, Set<String> out) {
        for (Expr child : children(e)) {
            collect(child, out);
        }
        if (e instanceof FunctionCall f && NAMES.contains(f.name())) {
            out.add(f.toSql());
        }
    }

    private static List<Expr> children(Expr e) {
        List<Expr> c = new ArrayList<>();
        if (e instanceof BinaryOp b) {
            c.add(b.left());
            c.add(b.right());
        } else if (e instanceof UnaryOp u) {
            c.add(u.operand());
        } else if (e instanceof FunctionCall f) {
            c.addAll(f.args());
        } else if (e instanceof CaseWhen w) {
            if (w.operand() != null) {
                c.add(w.operand());
            }
            w.whens().forEach(x -> {
                c.add(x.when());
                c.add(x.then());
            });
            if (w.elseExpr() != null) {
                c.add(w.elseExpr());
            }
        } else if (e instanceof Cast x) {
            c.add(x.expr());
        } else if (e instanceof InList in) {
            c.add(in.expr());
            c.addAll(in.values());
        } else if (e instanceof Between b) {
            c.add(b.expr());
            c.add(b.low());
            c.add(b.high());
        } else if (e instanceof IsNull n) {
            c.add(n.expr());
        } else if (e instanceof Like l) {
            c.add(l.expr());
            c.add(l.pattern());
        }
        return c;
    }

    // ------------------------------------------------------------------------------------ evaluators

    static Evaluator key(CurrentMessage current) {
        return row -> {
            MessageMetadata m = current.get();
            return m == null ? null : text(m.key());
        };
    }

    static Evaluator header(CurrentMessage current, Evaluator name) {
        return row -> {
            MessageMetadata m = current.get();
            String n = Values.toStr(name.eval(row));
            return m == null || n == null ? null : text(m.header(n));
        };
    }

    static Evaluator timestamp(CurrentMessage current, ZoneId zone) {
        return row -> {
            MessageMetadata m = current.get();
            if (m == null || m.timestamp() < 0) {
                return null;
            }
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(m.timestamp()), zone);
        };
    }

    static Evaluator timestampType(CurrentMessage current) {
        return row -> {
            MessageMetadata m = current.get();
            return m == null ? null : m.timestampType();
        };
    }

    static Evaluator partition(CurrentMessage current) {
        return row -> {
            MessageMetadata m = current.get();
            return m == null ? null : (Object) (long) m.partition();
        };
    }

    static Evaluator offset(CurrentMessage current) {
        return row -> {
            MessageMetadata m = current.get();
            return m == null ? null : (Object) m.offset();
        };
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
