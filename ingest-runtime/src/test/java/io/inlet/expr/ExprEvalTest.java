package io.inlet.expr;

import io.inlet.sql.SqlParser;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expression semantics (StarRocks): implicit casts, NULL propagation, three-valued logic, functions. */
class ExprEvalTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final EvalContext UTC = EvalContext.utc();

    /** Evaluates {@code expr} over a row given as name/value pairs. */
    static Object eval(EvalContext ctx, String expr, Object... nameValues) {
        List<String> names = new ArrayList<>();
        Object[] row = new Object[nameValues.length / 2];
        for (int i = 0; i < nameValues.length; i += 2) {
            names.add((String) nameValues[i]);
            row[i / 2] = nameValues[i + 1];
        }
        Evaluator ev = ExprCompiler.compile(SqlParser.parseExpression(expr), names::indexOf, ctx);
        return ev.eval(row);
    }

    static Object eval(String expr, Object... nameValues) {
        return eval(UTC, expr, nameValues);
    }

    static Object sh(String expr, Object... nameValues) {
        return eval(EvalContext.of(SHANGHAI), expr, nameValues);
    }

    // ------------------------------------------------------------------------------------ operators

    @Test
    void arithmeticWithImplicitCasts() {
        assertThat(eval("1 + 2")).isEqualTo(3L);
        assertThat(eval("a + 1", "a", "41")).isEqualTo(42L);
        assertThat(eval("a + 1", "a", "1.5")).isEqualTo(2.5);
        assertThat(eval("a * b", "a", 3L, "b", new BigDecimal("1.5"))).isEqualTo(new BigDecimal("4.5"));
        assertThat(eval("1.5 + 1")).isEqualTo(new BigDecimal("2.5"));
        assertThat(eval("2.5e0 * 2")).isEqualTo(5.0);
        assertThat(eval("7 / 2")).isEqualTo(3.5);
        assertThat(eval("6 / 3")).isEqualTo(2.0);
        assertThat(eval("7 DIV 2")).isEqualTo(3L);
        assertThat(eval("-7 DIV 2")).isEqualTo(-3L);
        assertThat(eval("7 % 3")).isEqualTo(1L);
        assertThat(eval("-7 MOD 3")).isEqualTo(-1L);
        assertThat(eval("7.5 % 2")).isEqualTo(new BigDecimal("1.5"));
        assertThat(eval("- a", "a", "5")).isEqualTo(-5L);
        assertThat(eval("a + b", "a", true, "b", 1L)).isEqualTo(2L);
        assertThat(eval("9223372036854775807 + 1")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(eval("4611686018427387904 * 4")).isEqualTo(new BigInteger("18446744073709551616"));
    }

    @Test
    void arithmeticNullAndBadInput() {
        assertThat(eval("NULL + 1")).isNull();
        assertThat(eval("a - 1", "a", null)).isNull();
        assertThat(eval("a + 1", "a", "abc")).isNull();
        assertThat(eval("a * 2", "a", LocalDate.of(2020, 1, 1))).isNull();
        assertThat(eval("1 / 0")).isNull();
        assertThat(eval("1 DIV 0")).isNull();
        assertThat(eval("5 % 0")).isNull();
        assertThat(eval("a / 2", "a", "NaN")).isNull();
    }

    @Test
    void comparisons() {
        assertThat(eval("a > 9", "a", "10")).isEqualTo(true);          // string vs number: numeric
        assertThat(eval("a > '9'", "a", "10")).isEqualTo(false);       // string vs string: lexical
        assertThat(eval("a = 100", "a", "100.0")).isEqualTo(true);
        assertThat(eval("a = 1", "a", "abc")).isNull();
        assertThat(eval("a <> 1", "a", null)).isNull();
        assertThat(eval("1.0 = 1")).isEqualTo(true);
        assertThat(eval("1e0 < 2")).isEqualTo(true);
        assertThat(eval("a >= '2020-01-01'", "a", LocalDate.of(2020, 1, 1))).isEqualTo(true);
        assertThat(eval("a < '2020-01-01 00:00:01'", "a", LocalDate.of(2020, 1, 1))).isEqualTo(true);
        assertThat(eval("a = b", "a", LocalDateTime.of(2020, 1, 1, 0, 0), "b", LocalDate.of(2020, 1, 1)))
                .isEqualTo(true);
        assertThat(eval("a = 'not a date'", "a", LocalDate.of(2020, 1, 1))).isNull();
        assertThat(eval("a = TRUE", "a", true)).isEqualTo(true);
        assertThat(eval("NULL <=> NULL")).isEqualTo(true);
        assertThat(eval("1 <=> NULL")).isEqualTo(false);
        assertThat(eval("'a' <=> 'a'")).isEqualTo(true);
        assertThat(eval("2 != 3 AND 2 <= 2 AND 3 >= 2 AND 1 < 2 AND 3 > 2")).isEqualTo(true);
        assertThat(eval("a = 9223372036854775807", "a", "9223372036854775807")).isEqualTo(true);
    }

    @Test
    void threeValuedLogic() {
        Object[][] and = {
                {true, true, true}, {true, false, false}, {true, null, null},
                {false, true, false}, {false, false, false}, {false, null, false},
                {null, true, null}, {null, false, false}, {null, null, null}};
        for (Object[] r : and) {
            assertThat(eval("a AND b", "a", r[0], "b", r[1])).as("%s AND %s", r[0], r[1]).isEqualTo(r[2]);
        }
        Object[][] or = {
                {true, true, true}, {true, false, true}, {true, null, true},
                {false, true, true}, {false, false, false}, {false, null, null},
                {null, true, true}, {null, false, null}, {null, null, null}};
        for (Object[] r : or) {
            assertThat(eval("a OR b", "a", r[0], "b", r[1])).as("%s OR %s", r[0], r[1]).isEqualTo(r[2]);
        }
        assertThat(eval("NOT a", "a", true)).isEqualTo(false);
        assertThat(eval("NOT a", "a", false)).isEqualTo(true);
        assertThat(eval("NOT a", "a", null)).isNull();
        assertThat(eval("NOT a", "a", "abc")).isNull();
        assertThat(eval("a AND b", "a", "true", "b", 1L)).isEqualTo(true);
        assertThat(eval("a OR b", "a", 0L, "b", "0")).isEqualTo(false);
        assertThat(eval("!(1 > 2)")).isEqualTo(true);
    }

    @Test
    void isNullInBetweenLike() {
        assertThat(eval("a IS NULL", "a", null)).isEqualTo(true);
        assertThat(eval("a IS NOT NULL", "a", "")).isEqualTo(true);
        assertThat(eval("x IN (1, 2)", "x", 2L)).isEqualTo(true);
        assertThat(eval("x IN (1, 2)", "x", "2")).isEqualTo(true);
        assertThat(eval("x IN (1, 2)", "x", 3L)).isEqualTo(false);
        assertThat(eval("x IN (1, NULL)", "x", 3L)).isNull();
        assertThat(eval("x IN (1, NULL)", "x", 1L)).isEqualTo(true);
        assertThat(eval("x NOT IN (1, NULL)", "x", 3L)).isNull();
        assertThat(eval("x NOT IN (1, 2)", "x", 3L)).isEqualTo(true);
        assertThat(eval("x IN (1)", "x", null)).isNull();
        assertThat(eval("s IN ('paid', 'shipped')", "s", "paid")).isEqualTo(true);
        assertThat(eval("s IN ('paid', 'shipped')", "s", "open")).isEqualTo(false);
        assertThat(eval("s NOT IN ('paid', NULL)", "s", "open")).isNull();
        assertThat(eval("s IN (a, 'x')", "s", "y", "a", "y")).isEqualTo(true);

        assertThat(eval("5 BETWEEN 1 AND 10")).isEqualTo(true);
        assertThat(eval("x BETWEEN 1 AND 10", "x", "11")).isEqualTo(false);
        assertThat(eval("x NOT BETWEEN 1 AND 10", "x", 11L)).isEqualTo(true);
        assertThat(eval("x BETWEEN 1 AND 10", "x", null)).isNull();
        assertThat(eval("x BETWEEN NULL AND 10", "x", 20L)).isEqualTo(false);
        assertThat(eval("x BETWEEN NULL AND 10", "x", 5L)).isNull();
        assertThat(eval("d BETWEEN '2020-01-01' AND '2020-12-31'", "d", LocalDate.of(2020, 6, 1))).isEqualTo(true);

        assertThat(eval("s LIKE 'a%'", "s", "abc")).isEqualTo(true);
        assertThat(eval("s LIKE '%c'", "s", "abc")).isEqualTo(true);
        assertThat(eval("s LIKE '%b%'", "s", "abc")).isEqualTo(true);
        assertThat(eval("s LIKE 'a_c'", "s", "abc")).isEqualTo(true);
        assertThat(eval("s LIKE 'a_c'", "s", "abdc")).isEqualTo(false);
        assertThat(eval("s LIKE 'a%c%e'", "s", "abcde")).isEqualTo(true);
        assertThat(eval("s LIKE 'abc'", "s", "ABC")).isEqualTo(false);
        assertThat(eval("s LIKE '%'", "s", "")).isEqualTo(true);
        assertThat(eval("s LIKE 'a\\%c'", "s", "a%c")).isEqualTo(true);
        assertThat(eval("s LIKE 'a\\%c'", "s", "abc")).isEqualTo(false);
        assertThat(eval("s LIKE 'a.c'", "s", "abc")).isEqualTo(false);
        assertThat(eval("s NOT LIKE 'a%'", "s", "abc")).isEqualTo(false);
        assertThat(eval("s LIKE 'a%'", "s", null)).isNull();
        assertThat(eval("s LIKE NULL", "s", "a")).isNull();
        assertThat(eval("s LIKE p", "s", "hello", "p", "h%o")).isEqualTo(true);
        assertThat(eval("n LIKE '12%'", "n", 123L)).isEqualTo(true);
    }

    @Test
    void caseAndConditionals() {
        String simple = "CASE k WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END";
        assertThat(eval(simple, "k", "1")).isEqualTo("one");
        assertThat(eval(simple, "k", 2L)).isEqualTo("two");
        assertThat(eval(simple, "k", 7L)).isEqualTo("many");
        assertThat(eval(simple, "k", null)).isEqualTo("many");
        String searched = "CASE WHEN k > 10 THEN 'big' WHEN k > 0 THEN 'small' END";
        assertThat(eval(searched, "k", 11L)).isEqualTo("big");
        assertThat(eval(searched, "k", 5L)).isEqualTo("small");
        assertThat(eval(searched, "k", -1L)).isNull();
        assertThat(eval(searched, "k", null)).isNull();

        assertThat(eval("if(a > 0, 'y', 'n')", "a", 1L)).isEqualTo("y");
        assertThat(eval("if(a > 0, 'y', 'n')", "a", null)).isEqualTo("n");
        assertThat(eval("if(a, 1, 2)", "a", "abc")).isEqualTo(2L);
        assertThat(eval("coalesce(a, b, 3)", "a", null, "b", null)).isEqualTo(3L);
        assertThat(eval("coalesce(a, b)", "a", null, "b", null)).isNull();
        assertThat(eval("coalesce(a, b)", "a", "x", "b", null)).isEqualTo("x");
        assertThat(eval("ifnull(a, 'b')", "a", null)).isEqualTo("b");
        assertThat(eval("ifnull(a, 'b')", "a", "a")).isEqualTo("a");
        assertThat(eval("nullif(a, 1)", "a", 1L)).isNull();
        assertThat(eval("nullif(a, 1)", "a", 2L)).isEqualTo(2L);
        assertThat(eval("nullif(a, 1)", "a", null)).isNull();
        assertThat(eval("nullif(a, b)", "a", "x", "b", null)).isEqualTo("x");
    }

    @Test
    void castInExpressionsYieldsNullOnFailure() {
        assertThat(eval("CAST(a AS INT)", "a", "12")).isEqualTo(12L);
        assertThat(eval("CAST(a AS INT)", "a", "abc")).isNull();
        assertThat(eval("CAST(a AS TINYINT)", "a", 300L)).isNull();
        assertThat(eval("CAST(a AS BIGINT)", "a", 1.7)).isEqualTo(1L);
        assertThat(eval("CAST(a AS DATE)", "a", "2020-01-02 03:04:05")).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(eval("CAST(a AS DATETIME)", "a", "2020-01-02")).isEqualTo(LocalDateTime.of(2020, 1, 2, 0, 0));
        assertThat(eval("CAST(a AS DECIMAL(5,2))", "a", "1.005")).isEqualTo(new BigDecimal("1.01"));
        assertThat(eval("CAST(a AS VARCHAR(3))", "a", "abcd")).isNull();
        assertThat(eval("CAST(a AS STRING)", "a", 2.0)).isEqualTo("2");
        assertThat(eval("CAST(a AS BOOLEAN)", "a", "1")).isEqualTo(true);
        assertThat(eval("CAST(NULL AS INT)")).isNull();
    }

    // ------------------------------------------------------------------------------------ date and time

    @Test
    void fromUnixtimeAppliesTheJobTimezone() {
        assertThat(eval("from_unixtime(1493987388929 / 1000)")).isEqualTo("2017-05-05 12:29:48");
        assertThat(sh("from_unixtime(1493987388929 / 1000)")).isEqualTo("2017-05-05 20:29:48");
        assertThat(eval("from_unixtime(1196440219)")).isEqualTo("2007-11-30 16:30:19");
        assertThat(sh("from_unixtime(1196440219)")).isEqualTo("2007-12-01 00:30:19");
        assertThat(sh("from_unixtime(1196440219, 'yyyy-MM-dd HH:mm:ss')")).isEqualTo("2007-12-01 00:30:19");
        assertThat(sh("from_unixtime(1196440219, '%Y-%m-%d')")).isEqualTo("2007-12-01");
        assertThat(sh("from_unixtime(1196440219, 'yyyyMMdd')")).isEqualTo("20071201");
        assertThat(sh("from_unixtime(1196440219, '%Y-%m-%d %H:%i:%s')")).isEqualTo("2007-12-01 00:30:19");
        assertThat(eval("from_unixtime(pay_time, '%Y%m%d')", "pay_time", 1589191487L)).isEqualTo("20200511");
        assertThat(eval("from_unixtime(t)", "t", "1589191487")).isEqualTo("2020-05-11 10:04:47");
        assertThat(eval(EvalContext.of(ZoneId.of("America/New_York")), "from_unixtime(t)", "t", 1589191487L))
                .isEqualTo("2020-05-11 06:04:47");
        assertThat(eval(EvalContext.of(ZoneOffset.ofHours(8)), "from_unixtime(0)")).isEqualTo("1970-01-01 08:00:00");
        assertThat(eval("from_unixtime(t, f)", "t", 0L, "f", "%H:%i")).isEqualTo("00:00");
    }

    @Test
    void fromUnixtimeNullAndBadInput() {
        assertThat(eval("from_unixtime(t)", "t", null)).isNull();
        assertThat(eval("from_unixtime(t)", "t", "abc")).isNull();
        assertThat(eval("from_unixtime(-1)")).isNull();
        assertThat(eval("from_unixtime(253402243200)")).isNull();
        assertThat(eval("from_unixtime(253402243199)")).isEqualTo("9999-12-31 07:59:59");
        assertThat(eval("from_unixtime(0, '')")).isNull();
        assertThat(eval("from_unixtime(0, f)", "f", null)).isNull();
    }

    @Test
    void dateFormatSpecifiers() {
        assertThat(eval("date_format('2009-10-04 22:23:00', '%W %M %Y')")).isEqualTo("Sunday October 2009");
        assertThat(eval("date_format('2007-10-04 22:23:00', '%H:%i:%s')")).isEqualTo("22:23:00");
        assertThat(eval("date_format('1900-10-04 22:23:00', '%D %y %a %d %m %b %j')"))
                .isEqualTo("4th 00 Thu 04 10 Oct 277");
        assertThat(eval("date_format('1997-10-04 22:23:00', '%H %k %I %r %T %S %w')"))
                .isEqualTo("22 22 10 10:23:00 PM 22:23:00 00 6");
        assertThat(eval("date_format('1999-01-01', '%X %V')")).isEqualTo("1998 52");
        assertThat(eval("date_format('2000-01-01', '%U %u %V %v %X %x')")).isEqualTo("00 00 52 52 1999 1999");
        assertThat(eval("date_format('2008-02-20', '%U %u')")).isEqualTo("07 08");
        assertThat(eval("date_format('2008-12-31', '%u %v %x')")).isEqualTo("53 01 2009");
        assertThat(eval("date_format('2020-01-05 09:05:03.012345', '%e %c %l %h %p %f %%')"))
                .isEqualTo("5 1 9 09 AM 012345 %");
        assertThat(eval("date_format('2020-01-01 00:00:00', '%l %p %D %D')")).isEqualTo("12 AM 1st 1st");
        assertThat(eval("date_format(d, '%D')", "d", LocalDate.of(2020, 1, 12))).isEqualTo("12th");
        assertThat(eval("date_format(d, '%D')", "d", LocalDate.of(2020, 1, 22))).isEqualTo("22nd");
        assertThat(eval("date_format(d, '%Y/%m/%d %Q')", "d", LocalDateTime.of(2021, 3, 4, 5, 6)))
                .isEqualTo("2021/03/04 Q");
        assertThat(eval("date_format(d, '%Y')", "d", null)).isNull();
        assertThat(eval("date_format(d, '%Y')", "d", "not a date")).isNull();
    }

    @Test
    void unixTimestamp() {
        assertThat(sh("unix_timestamp('2007-11-30 10:30:19')")).isEqualTo(1196389819L);
        assertThat(eval("unix_timestamp('2007-11-30 10:30:19')")).isEqualTo(1196418619L);
        assertThat(sh("unix_timestamp('2007-11-30 10:30-19', '%Y-%m-%d %H:%i-%s')")).isEqualTo(1196389819L);
        assertThat(sh("unix_timestamp('2007-11-30 10:30%3A19', '%Y-%m-%d %H:%i%%3A%s')")).isEqualTo(1196389819L);
        assertThat(eval("unix_timestamp(d)", "d", LocalDate.of(2020, 1, 1))).isEqualTo(1577836800L);
        assertThat(eval("unix_timestamp('1969-01-01 00:00:00')")).isEqualTo(0L);
        assertThat(eval("unix_timestamp('2040-01-01 00:00:00')")).isEqualTo(0L);
        assertThat(eval("unix_timestamp(d)", "d", null)).isNull();
        assertThat(eval("unix_timestamp('garbage')")).isNull();
        assertThat(eval("unix_timestamp('2020-01-01', '%d/%m/%Y')")).isNull();
        Clock clock = Clock.fixed(Instant.parse("2024-03-01T12:00:00Z"), ZoneOffset.UTC);
        assertThat(eval(new EvalContext(SHANGHAI, clock), "unix_timestamp()")).isEqualTo(1709294400L);
    }

    @Test
    void strToDate() {
        assertThat(eval("str_to_date('2014-12-21 12:34:56', '%Y-%m-%d %H:%i:%s')"))
                .isEqualTo(LocalDateTime.of(2014, 12, 21, 12, 34, 56));
        assertThat(eval("str_to_date('2014-12-21', '%Y-%m-%d')")).isEqualTo(LocalDate.of(2014, 12, 21));
        assertThat(eval("str_to_date('21/12/2014', '%d/%m/%Y')")).isEqualTo(LocalDate.of(2014, 12, 21));
        assertThat(eval("str_to_date('Dec 21 2014 1:05 PM', '%b %d %Y %h:%i %p')"))
                .isEqualTo(LocalDateTime.of(2014, 12, 21, 13, 5));
        assertThat(eval("str_to_date('December 1, 14 12:00:00 AM', '%M %e, %y %r')"))
                .isEqualTo(LocalDateTime.of(2014, 12, 1, 0, 0));
        assertThat(eval("str_to_date('20200102103000.5', '%Y%m%d%H%i%s.%f')"))
                .isEqualTo(LocalDateTime.of(2020, 1, 2, 10, 30, 0, 500_000_000));
        assertThat(eval("str_to_date('2020 032', '%Y %j')")).isEqualTo(LocalDate.of(2020, 2, 1));
        assertThat(eval("str_to_date(s, f)", "s", "01.02.2020", "f", "%d.%m.%Y")).isEqualTo(LocalDate.of(2020, 2, 1));
        assertThat(eval("str_to_date('2014-13-01', '%Y-%m-%d')")).isNull();
        assertThat(eval("str_to_date('2014-02-30', '%Y-%m-%d')")).isNull();
        assertThat(eval("str_to_date('abc', '%Y-%m-%d')")).isNull();
        assertThat(eval("str_to_date(s, '%Y')", "s", null)).isNull();
    }

    @Test
    void dateTrunc() {
        String dt = "'2020-11-04 11:12:13.5'";
        assertThat(eval("date_trunc('second', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 11, 4, 11, 12, 13));
        assertThat(eval("date_trunc('minute', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 11, 4, 11, 12));
        assertThat(eval("date_trunc('hour', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 11, 4, 11, 0));
        assertThat(eval("date_trunc('DAY', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 11, 4, 0, 0));
        assertThat(eval("date_trunc('week', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 11, 2, 0, 0));
        assertThat(eval("date_trunc('month', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 11, 1, 0, 0));
        assertThat(eval("date_trunc('quarter', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 10, 1, 0, 0));
        assertThat(eval("date_trunc('year', " + dt + ")")).isEqualTo(LocalDateTime.of(2020, 1, 1, 0, 0));
        assertThat(eval("date_trunc('month', d)", "d", LocalDate.of(2020, 11, 4))).isEqualTo(LocalDate.of(2020, 11, 1));
        assertThat(eval("date_trunc(u, d)", "u", "day", "d", LocalDateTime.of(2020, 1, 2, 3, 4)))
                .isEqualTo(LocalDateTime.of(2020, 1, 2, 0, 0));
        assertThat(eval("date_trunc(u, d)", "u", "fortnight", "d", "2020-01-02")).isNull();
        assertThat(eval("date_trunc('day', d)", "d", null)).isNull();
        assertThat(eval("date_trunc('day', d)", "d", "yesterday")).isNull();
        assertThatThrownBy(() -> eval("date_trunc('fortnight', d)", "d", "2020-01-01"))
                .isInstanceOf(ExprException.class)
                .hasMessage("line 1, column 12: date_trunc unit 'fortnight' is not one of microsecond, millisecond, "
                        + "second, minute, hour, day, week, month, quarter, year");
    }

    @Test
    void nowUsesTheClockInTheJobTimezoneAndIsNotFolded() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2024-03-01T12:00:00.750Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        Evaluator ev = ExprCompiler.compile(SqlParser.parseExpression("now()"), n -> -1, new EvalContext(SHANGHAI, clock));
        assertThat(ev.eval(new Object[0])).isEqualTo(LocalDateTime.of(2024, 3, 1, 20, 0, 0));
        now.set(Instant.parse("2024-03-02T00:00:01Z"));
        assertThat(ev.eval(new Object[0])).isEqualTo(LocalDateTime.of(2024, 3, 2, 8, 0, 1));
        assertThat(eval(new EvalContext(ZoneOffset.UTC, clock), "current_timestamp()"))
                .isEqualTo(LocalDateTime.of(2024, 3, 2, 0, 0, 1));
        assertThat(eval(new EvalContext(ZoneOffset.UTC, clock), "CURRENT_TIMESTAMP"))
                .isEqualTo(LocalDateTime.of(2024, 3, 2, 0, 0, 1));
        assertThat(eval(new EvalContext(SHANGHAI, clock), "current_date()")).isEqualTo(LocalDate.of(2024, 3, 2));
    }

    @Test
    void datePartsAndToDate() {
        String dt = "'2020-01-02 03:04:05'";
        assertThat(Arrays.asList(eval("year(" + dt + ")"), eval("month(" + dt + ")"), eval("day(" + dt + ")"),
                eval("hour(" + dt + ")"), eval("minute(" + dt + ")"), eval("second(" + dt + ")")))
                .containsExactly(2020L, 1L, 2L, 3L, 4L, 5L);
        assertThat(eval("hour(d)", "d", LocalDate.of(2020, 1, 2))).isEqualTo(0L);
        assertThat(eval("quarter('2020-05-01')")).isEqualTo(2L);
        assertThat(eval("dayofweek('2020-01-05')")).isEqualTo(1L); // Sunday
        assertThat(eval("dayofyear('2020-12-31')")).isEqualTo(366L);
        assertThat(eval("weekofyear('2021-01-03')")).isEqualTo(53L);
        assertThat(eval("year(d)", "d", null)).isNull();
        assertThat(eval("month('2020-13-01')")).isNull();
        assertThat(eval("to_date(" + dt + ")")).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(eval("to_date(d)", "d", LocalDateTime.of(2020, 1, 2, 3, 4))).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(eval("to_date('20200102')")).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(eval("to_date('bad')")).isNull();
        assertThat(eval("to_date(NULL)")).isNull();
    }

    // ------------------------------------------------------------------------------------ strings

    @Test
    void concatFunctions() {
        assertThat(eval("concat('a', 1, 2.5e0, TRUE)")).isEqualTo("a12.51");
        assertThat(eval("concat('a', b)", "b", null)).isNull();
        assertThat(eval("concat(d)", "d", LocalDateTime.of(2020, 1, 2, 3, 4, 5))).isEqualTo("2020-01-02 03:04:05");
        assertThat(eval("concat_ws('-', 'a', NULL, 'b')")).isEqualTo("a-b");
        assertThat(eval("concat_ws(s, 'a')", "s", null)).isNull();
        assertThat(eval("concat_ws(',', a)", "a", null)).isEqualTo("");
    }

    @Test
    void substrFunctions() {
        assertThat(eval("substr('Quadratically', 5)")).isEqualTo("ratically");
        assertThat(eval("substring('Quadratically', 5, 6)")).isEqualTo("ratica");
        assertThat(eval("substr('Sakila', -3)")).isEqualTo("ila");
        assertThat(eval("substr('Sakila', -5, 3)")).isEqualTo("aki");
        assertThat(eval("substr('abc', 0)")).isEqualTo("");
        assertThat(eval("substr('abc', 10)")).isEqualTo("");
        assertThat(eval("substr('abc', -10)")).isEqualTo("");
        assertThat(eval("substr('abc', 2, -1)")).isEqualTo("");
        assertThat(eval("substr('héllo😀x', 2, 5)")).isEqualTo("éllo😀");
        assertThat(eval("substr(s, 1)", "s", null)).isNull();
        assertThat(eval("substr('abc', p)", "p", "x")).isNull();
        assertThat(eval("substr(s, 2, 2)", "s", 12345L)).isEqualTo("23");
        assertThat(eval("left('abcdef', 2)")).isEqualTo("ab");
        assertThat(eval("right('abcdef', 2)")).isEqualTo("ef");
        assertThat(eval("right('ab', 5)")).isEqualTo("ab");
    }

    @Test
    void caseTrimLengthReplace() {
        assertThat(eval("lower('AbC')")).isEqualTo("abc");
        assertThat(eval("upper(s)", "s", "straße")).isEqualTo("STRASSE");
        assertThat(eval("upper(12)")).isEqualTo("12");
        assertThat(eval("lower(s)", "s", null)).isNull();
        assertThat(eval("trim('  a b  ')")).isEqualTo("a b");
        assertThat(eval("ltrim('  a b  ')")).isEqualTo("a b  ");
        assertThat(eval("rtrim('  a b  ')")).isEqualTo("  a b");
        assertThat(eval("trim('xxaxx', 'x')")).isEqualTo("a");
        assertThat(eval("trim('\ta ')")).isEqualTo("\ta");
        assertThat(eval("trim(s)", "s", null)).isNull();
        assertThat(eval("length('héllo')")).isEqualTo(6L);
        assertThat(eval("char_length('héllo')")).isEqualTo(5L);
        assertThat(eval("character_length('')")).isEqualTo(0L);
        assertThat(eval("length(123)")).isEqualTo(3L);
        assertThat(eval("length(s)", "s", null)).isNull();
        assertThat(eval("replace('a-b-c', '-', '+')")).isEqualTo("a+b+c");
        assertThat(eval("replace('abc', '', 'x')")).isEqualTo("abc");
        assertThat(eval("replace(s, 'a', 'b')", "s", null)).isNull();
        assertThat(eval("split_part('a,b,c', ',', 2)")).isEqualTo("b");
        assertThat(eval("split_part('a,b,c', ',', -1)")).isEqualTo("c");
        assertThat(eval("split_part('a,b,c', ',', 4)")).isNull();
        assertThat(eval("lpad('hi', 5, 'ab')")).isEqualTo("abahi");
        assertThat(eval("rpad('hi', 5, 'ab')")).isEqualTo("hiaba");
        assertThat(eval("lpad('hello', 2, 'x')")).isEqualTo("he");
        assertThat(eval("regexp_extract('AbCdE', '([[:lower:]]+)C([[:lower:]]+)', 1)".replace("[[:lower:]]", "[a-z]")))
                .isEqualTo("b");
        assertThat(eval("regexp_replace('a b  c', ' +', '-')")).isEqualTo("a-b-c");
        assertThat(eval("regexp_replace('2020-01-02', '(\\\\d+)-(\\\\d+)-(\\\\d+)', '\\\\3/\\\\2/\\\\1')"))
                .isEqualTo("02/01/2020");
        assertThat(eval("starts_with('abc', 'ab') AND ends_with('abc', 'bc')")).isEqualTo(true);
        assertThat(eval("greatest(1, '3', 2)")).isEqualTo("3");
        assertThat(eval("least(3, 1, 2)")).isEqualTo(1L);
        assertThat(eval("least(3, NULL)")).isNull();
    }

    // ------------------------------------------------------------------------------------ math

    @Test
    void mathFunctions() {
        assertThat(eval("abs(-5)")).isEqualTo(5L);
        assertThat(eval("abs(a)", "a", "-2.5")).isEqualTo(2.5);
        assertThat(eval("abs(-1.25)")).isEqualTo(new BigDecimal("1.25"));
        assertThat(eval("abs(-9223372036854775808)")).isEqualTo(new BigInteger("9223372036854775808"));
        assertThat(eval("abs(a)", "a", null)).isNull();
        assertThat(eval("abs(a)", "a", "x")).isNull();
        assertThat(eval("round(2.5)")).isEqualTo(new BigDecimal("3"));
        assertThat(eval("round(-2.5)")).isEqualTo(new BigDecimal("-3"));
        assertThat(eval("round(1.2345, 2)")).isEqualTo(new BigDecimal("1.23"));
        assertThat(eval("round(2.5e0)")).isEqualTo(3.0);
        assertThat(eval("round(a, 1)", "a", "2.567")).isEqualTo(2.6);
        assertThat(eval("round(1250, -2)")).isEqualTo(1300L);
        assertThat(eval("round(7)")).isEqualTo(7L);
        assertThat(eval("round(a)", "a", null)).isNull();
        assertThat(eval("round(a)", "a", "abc")).isNull();
        assertThat(eval("floor(1.7)")).isEqualTo(1L);
        assertThat(eval("floor(-1.2e0)")).isEqualTo(-2L);
        assertThat(eval("ceil(1.2)")).isEqualTo(2L);
        assertThat(eval("ceiling(a)", "a", "3.1")).isEqualTo(4L);
        assertThat(eval("ceil(5)")).isEqualTo(5L);
        assertThat(eval("floor(a)", "a", null)).isNull();
        assertThat(eval("floor(a)", "a", "x")).isNull();
        assertThat(eval("mod(10, 4)")).isEqualTo(2L);
    }

    // ------------------------------------------------------------------------------------ JSON

    @Test
    void jsonFunctions() {
        String doc = "{\"a\": {\"b\": [1, \"x\", {\"c\": true}]}, \"n\": 2.5, \"s\": \"7\"}";
        assertThat(eval("get_json_string(j, '$.a.b[1]')", "j", doc)).isEqualTo("x");
        assertThat(eval("get_json_string(j, '$.a.b[0]')", "j", doc)).isEqualTo("1");
        assertThat(eval("get_json_string(j, '$.a.b[2]')", "j", doc)).isEqualTo("{\"c\":true}");
        assertThat(eval("json_query(j, '$.a')", "j", doc)).isEqualTo("{\"b\":[1,\"x\",{\"c\":true}]}");
        assertThat(eval("get_json_int(j, '$.s')", "j", doc)).isEqualTo(7L);
        assertThat(eval("get_json_double(j, '$.n')", "j", doc)).isEqualTo(2.5);
        assertThat(eval("get_json_string(j, 'a.b[1]')", "j", doc)).isEqualTo("x");
        assertThat(eval("get_json_string(j, '$.missing')", "j", doc)).isNull();
        assertThat(eval("get_json_string(j, '$.a')", "j", "{not json")).isNull();
        assertThat(eval("get_json_string(j, '$.a')", "j", null)).isNull();
        assertThatThrownBy(() -> eval("get_json_string(j, '$..[')", "j", doc)).isInstanceOf(ExprException.class)
                .hasMessageContaining("invalid JSON path");
    }

    // ------------------------------------------------------------------------------------ compilation

    @Test
    void compileErrorsCarryPositions() {
        assertThatThrownBy(() -> eval("a + nope", "a", 1L)).isInstanceOf(ExprException.class)
                .hasMessage("line 1, column 5: unknown column 'nope'")
                .satisfies(e -> assertThat(((ExprException) e).column()).isEqualTo(5));
        assertThatThrownBy(() -> ExprCompiler.compile(SqlParser.parseExpression("1 +\n  frobnicate(2)"), n -> -1, UTC))
                .isInstanceOf(ExprException.class)
                .hasMessage("line 2, column 3: unknown function 'frobnicate'");
        assertThatThrownBy(() -> eval("substr('a')")).isInstanceOf(ExprException.class)
                .hasMessageEndingWith("function 'substr' expects 2 or 3 arguments, got 1");
        assertThatThrownBy(() -> eval("concat()")).hasMessageEndingWith("expects at least 1 argument, got 0");
        assertThatThrownBy(() -> eval("now(1)")).hasMessageEndingWith("function 'now' expects 0 arguments, got 1");
        assertThatThrownBy(() -> eval("if(1, 2)")).hasMessageEndingWith("function 'if' expects 3 arguments, got 2");
        assertThatThrownBy(() -> eval("regexp_replace('a', '(', 'b')"))
                .hasMessageContaining("invalid regular expression '('");
        assertThat(ExprCompiler.functionNames()).contains("from_unixtime", "unix_timestamp", "str_to_date",
                "date_format", "date_trunc", "now", "current_timestamp", "concat", "concat_ws", "substr", "substring",
                "lower", "upper", "trim", "ltrim", "rtrim", "coalesce", "ifnull", "nullif", "if", "abs", "round",
                "floor", "ceil", "length", "char_length", "replace", "to_date", "year", "month", "day", "hour",
                "minute", "second", "json_query", "get_json_string");
    }

    @Test
    void constantsAreFoldedAndColumnsResolvedOnce() {
        int[] lookups = {0};
        Evaluator ev = ExprCompiler.compile(
                SqlParser.parseExpression("concat(upper(a), from_unixtime(86400, '%Y-%m-%d'), a)"),
                n -> {
                    lookups[0]++;
                    return n.equals("a") ? 0 : -1;
                }, UTC);
        for (int i = 0; i < 1000; i++) {
            assertThat(ev.eval(new Object[] {"x" + (i % 3)})).isEqualTo("X" + (i % 3) + "1970-01-02x" + (i % 3));
        }
        assertThat(lookups[0]).isEqualTo(2);
        Evaluator constant = ExprCompiler.compile(SqlParser.parseExpression("upper('a') = 'A' || 1 > 2"), n -> -1, UTC);
        assertThat(constant.eval(null)).isEqualTo(true); // folded: the row is never read
    }

    @Test
    void manyRowsStayFast() {
        Evaluator ev = ExprCompiler.compile(
                SqlParser.parseExpression("from_unixtime(registertime / 1000, '%Y-%m-%d %H:%i:%s')"),
                n -> 0, EvalContext.of(SHANGHAI));
        Object[] row = new Object[1];
        long start = System.nanoTime();
        for (int i = 0; i < 200_000; i++) {
            row[0] = 1493987388929L + i * 1000L;
            ev.eval(row);
        }
        assertThat(ev.eval(new Object[] {1493987388929L})).isEqualTo("2017-05-05 20:29:48");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
