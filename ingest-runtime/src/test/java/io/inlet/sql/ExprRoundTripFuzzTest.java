package io.inlet.sql;

import io.inlet.expr.Between;
import io.inlet.expr.BinaryOp;
import io.inlet.expr.CaseWhen;
import io.inlet.expr.Cast;
import io.inlet.expr.ColumnRef;
import io.inlet.expr.Expr;
import io.inlet.expr.FunctionCall;
import io.inlet.expr.InList;
import io.inlet.expr.IsNull;
import io.inlet.expr.Like;
import io.inlet.expr.Literal;
import io.inlet.expr.SqlType;
import io.inlet.expr.UnaryOp;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Random expression trees render to text that parses back to the same tree (precedence and quoting). */
class ExprRoundTripFuzzTest {
    private final Random rnd = new Random(20240501L);
    private static final String[] NAMES = {"a", "b", "price", "end", "date", "a b", "x`y", "Total", "select"};
    private static final Object[] LITERALS = {null, true, false, 0L, 7L, -3L, Long.MIN_VALUE,
            new BigDecimal("1.50"), new BigDecimal("-0.25"), 2.5e10, -1.0E-3, "", "it's", "a\\x01b", "line\nbreak",
            "%_\\%"};
    private static final SqlType[] TYPES = {SqlType.INT, SqlType.decimal(10, 2), SqlType.varchar(20),
            SqlType.varchar(-1), SqlType.DATETIME, SqlType.JSON};

    private Expr gen(int depth) {
        int kind = depth <= 0 ? rnd.nextInt(2) : rnd.nextInt(12);
        switch (kind) {
            case 0:
                return new Literal(LITERALS[rnd.nextInt(LITERALS.length)]);
            case 1:
                return new ColumnRef(NAMES[rnd.nextInt(NAMES.length)]);
            case 2:
            case 3:
                BinaryOp.Op[] ops = BinaryOp.Op.values();
                return new BinaryOp(ops[rnd.nextInt(ops.length)], gen(depth - 1), gen(depth - 1));
            case 4:
                return new UnaryOp(rnd.nextBoolean() ? UnaryOp.Op.NOT : UnaryOp.Op.NEGATE, gen(depth - 1));
            case 5: {
                List<Expr> args = new ArrayList<>();
                int n = rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    args.add(gen(depth - 1));
                }
                return new FunctionCall(rnd.nextBoolean() ? "concat" : "mod", args);
            }
            case 6: {
                List<CaseWhen.When> whens = new ArrayList<>();
                int n = 1 + rnd.nextInt(2);
                for (int i = 0; i < n; i++) {
                    whens.add(new CaseWhen.When(gen(depth - 1), gen(depth - 1)));
                }
                return new CaseWhen(rnd.nextBoolean() ? gen(depth - 1) : null, whens,
                        rnd.nextBoolean() ? gen(depth - 1) : null);
            }
            case 7:
                return new Cast(gen(depth - 1), TYPES[rnd.nextInt(TYPES.length)]);
            case 8: {
                List<Expr> vals = new ArrayList<>();
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    vals.add(gen(depth - 1));
                }
                return new InList(gen(depth - 1), vals, rnd.nextBoolean());
            }
            case 9:
                return new Between(gen(depth - 1), gen(depth - 1), gen(depth - 1), rnd.nextBoolean());
            case 10:
                return new IsNull(gen(depth - 1), rnd.nextBoolean());
            default:
                return new Like(gen(depth - 1), gen(depth - 1), rnd.nextBoolean());
        }
    }

    @Test
    void randomTreesRoundTrip() {
        for (int i = 0; i < 3000; i++) {
            Expr e = gen(1 + rnd.nextInt(4));
            String text = e.toSql();
            Expr back = SqlParser.parseExpression(text);
            assertThat(back).as(text).isEqualTo(e);
            assertThat(back.toSql()).isEqualTo(text);
        }
    }
}
