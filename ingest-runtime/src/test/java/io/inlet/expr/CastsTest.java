package io.inlet.expr;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Strict casts to column types: a value that does not fit throws CastException with a short reason. */
class CastsTest {

    static Object cast(Object v, SqlType t) throws CastException {
        return Casts.cast(v, t);
    }

    static void fails(Object v, SqlType t, String reason) {
        assertThatThrownBy(() -> Casts.cast(v, t)).isInstanceOf(CastException.class).hasMessage(reason)
                .satisfies(e -> assertThat(((CastException) e).reason()).isEqualTo(reason));
    }

    @Test
    void nullStaysNull() throws CastException {
        for (SqlType.Kind k : SqlType.Kind.values()) {
            assertThat(cast(null, SqlType.of(k))).isNull();
        }
    }

    @Test
    void integers() throws CastException {
        assertThat(cast("42", SqlType.INT)).isEqualTo(42L);
        assertThat(cast(" -42 ", SqlType.INT)).isEqualTo(-42L);
        assertThat(cast("+7", SqlType.TINYINT)).isEqualTo(7L);
        assertThat(cast(12.9, SqlType.INT)).isEqualTo(12L);
        assertThat(cast(new BigDecimal("-3.7"), SqlType.BIGINT)).isEqualTo(-3L);
        assertThat(cast(true, SqlType.SMALLINT)).isEqualTo(1L);
        assertThat(cast(127L, SqlType.TINYINT)).isEqualTo(127L);
        assertThat(cast("9223372036854775807", SqlType.BIGINT)).isEqualTo(Long.MAX_VALUE);
        fails("abc", SqlType.INT, "'abc' is not a valid INT");
        fails("12.5", SqlType.INT, "'12.5' is not a valid INT");
        fails("", SqlType.BIGINT, "'' is not a valid BIGINT");
        fails(300L, SqlType.TINYINT, "value 300 out of range for TINYINT");
        fails("-129", SqlType.TINYINT, "value -129 out of range for TINYINT");
        fails(40000L, SqlType.SMALLINT, "value 40000 out of range for SMALLINT");
        fails("2147483648", SqlType.INT, "value 2147483648 out of range for INT");
        fails("9223372036854775808", SqlType.BIGINT, "value 9223372036854775808 out of range for BIGINT");
        fails(1e300, SqlType.BIGINT, "value 1e+300 out of range for BIGINT");
        fails(Double.NaN, SqlType.INT, "'nan' is not a valid INT");
        fails(LocalDate.of(2020, 1, 1), SqlType.INT, "'2020-01-01' is not a valid INT");
    }

    @Test
    void largeInt() throws CastException {
        String max = "170141183460469231731687303715884105727";
        assertThat(cast(max, SqlType.LARGEINT)).isEqualTo(new BigInteger(max));
        assertThat(cast(5L, SqlType.LARGEINT)).isEqualTo(BigInteger.valueOf(5));
        fails("170141183460469231731687303715884105728", SqlType.LARGEINT,
                "value 170141183460469231731687303715884105728 out of range for LARGEINT");
        fails("1x", SqlType.LARGEINT, "'1x' is not a valid LARGEINT");
    }

    @Test
    void floatingPoint() throws CastException {
        assertThat(cast("1.5", SqlType.DOUBLE)).isEqualTo(1.5);
        assertThat(cast("-2e3", SqlType.DOUBLE)).isEqualTo(-2000.0);
        assertThat(cast(7L, SqlType.DOUBLE)).isEqualTo(7.0);
        assertThat(cast(new BigDecimal("0.1"), SqlType.FLOAT)).isEqualTo(0.1);
        fails("abc", SqlType.DOUBLE, "'abc' is not a valid DOUBLE");
        fails("NaN", SqlType.DOUBLE, "'NaN' is not a valid DOUBLE");
        fails("1e400", SqlType.DOUBLE, "value 1e400 out of range for DOUBLE");
        fails("1e39", SqlType.FLOAT, "value 1e39 out of range for FLOAT");
    }

    @Test
    void decimals() throws CastException {
        SqlType d52 = SqlType.decimal(5, 2);
        assertThat(cast("123.456", d52)).isEqualTo(new BigDecimal("123.46"));
        assertThat(cast("0.005", d52)).isEqualTo(new BigDecimal("0.01"));
        assertThat(cast(-1L, d52)).isEqualTo(new BigDecimal("-1.00"));
        assertThat(cast(2.5, d52)).isEqualTo(new BigDecimal("2.50"));
        assertThat(cast("999.994", d52)).isEqualTo(new BigDecimal("999.99"));
        fails("999.995", d52, "value 999.995 out of range for DECIMAL(5,2)");
        fails("1234.5", d52, "value 1234.5 out of range for DECIMAL(5,2)");
        fails("x", d52, "'x' is not a valid DECIMAL(5,2)");
        assertThat(cast("12", SqlType.decimal(2, 0))).isEqualTo(new BigDecimal("12"));
    }

    @Test
    void strings() throws CastException {
        String sixty = "x".repeat(60);
        fails(sixty, SqlType.varchar(50), "length 60 exceeds VARCHAR(50)");
        assertThat(cast(sixty, SqlType.varchar(60))).isEqualTo(sixty);
        fails("héllo", SqlType.varchar(5), "length 6 exceeds VARCHAR(5)");
        fails("abcd", SqlType.charType(3), "length 4 exceeds CHAR(3)");
        assertThat(cast(sixty, SqlType.STRING)).isEqualTo(sixty);
        assertThat(cast(sixty, SqlType.varchar(-1))).isEqualTo(sixty);
        assertThat(cast(2.0, SqlType.STRING)).isEqualTo("2");
        assertThat(cast(0.1, SqlType.STRING)).isEqualTo("0.1");
        assertThat(cast(12345678.5, SqlType.STRING)).isEqualTo("12345678.5");
        assertThat(cast(1e20, SqlType.STRING)).isEqualTo("1e+20");
        assertThat(cast(new BigDecimal("1.50"), SqlType.STRING)).isEqualTo("1.50");
        assertThat(cast(true, SqlType.STRING)).isEqualTo("1");
        assertThat(cast(LocalDateTime.of(2020, 1, 2, 3, 4, 5), SqlType.STRING)).isEqualTo("2020-01-02 03:04:05");
        assertThat(cast(LocalDateTime.of(2020, 1, 2, 3, 4, 5, 120_000_000), SqlType.STRING))
                .isEqualTo("2020-01-02 03:04:05.120000");
        assertThat(cast(LocalDate.of(2020, 1, 2), SqlType.varchar(10))).isEqualTo("2020-01-02");
    }

    @Test
    void dates() throws CastException {
        assertThat(cast("2020-01-02", SqlType.DATE)).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(cast("20200102", SqlType.DATE)).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(cast("2020-01-02 10:11:12", SqlType.DATE)).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(cast("2020-1-2", SqlType.DATE)).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(cast(LocalDateTime.of(2020, 1, 2, 3, 4), SqlType.DATE)).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(cast(20200102L, SqlType.DATE)).isEqualTo(LocalDate.of(2020, 1, 2));
        assertThat(cast("2024-02-29", SqlType.DATE)).isEqualTo(LocalDate.of(2024, 2, 29));
        fails("2023-02-29", SqlType.DATE, "'2023-02-29' is not a valid DATE");
        fails("2020-13-01", SqlType.DATE, "'2020-13-01' is not a valid DATE");
        fails("01/02/2020", SqlType.DATE, "'01/02/2020' is not a valid DATE");
        fails(1.5, SqlType.DATE, "'1.5' is not a valid DATE");
    }

    @Test
    void datetimes() throws CastException {
        assertThat(cast("2020-01-02 10:11:12", SqlType.DATETIME)).isEqualTo(LocalDateTime.of(2020, 1, 2, 10, 11, 12));
        assertThat(cast("2020-01-02 10:11:12.123456", SqlType.DATETIME))
                .isEqualTo(LocalDateTime.of(2020, 1, 2, 10, 11, 12, 123_456_000));
        assertThat(cast("2020-01-02 10:11:12.1234567", SqlType.DATETIME))
                .isEqualTo(LocalDateTime.of(2020, 1, 2, 10, 11, 12, 123_456_000));
        assertThat(cast("2020-01-02T10:11:12", SqlType.DATETIME)).isEqualTo(LocalDateTime.of(2020, 1, 2, 10, 11, 12));
        assertThat(cast("20200102101112", SqlType.DATETIME)).isEqualTo(LocalDateTime.of(2020, 1, 2, 10, 11, 12));
        assertThat(cast("2020-01-02", SqlType.DATETIME)).isEqualTo(LocalDateTime.of(2020, 1, 2, 0, 0));
        assertThat(cast(LocalDate.of(2020, 1, 2), SqlType.DATETIME)).isEqualTo(LocalDateTime.of(2020, 1, 2, 0, 0));
        assertThat(cast(20200102101112L, SqlType.DATETIME)).isEqualTo(LocalDateTime.of(2020, 1, 2, 10, 11, 12));
        fails("2020-01-02 25:00:00", SqlType.DATETIME, "'2020-01-02 25:00:00' is not a valid DATETIME");
        fails("2020-01-02 10:11:12 PM", SqlType.DATETIME, "'2020-01-02 10:11:12 PM' is not a valid DATETIME");
        fails("yesterday", SqlType.DATETIME, "'yesterday' is not a valid DATETIME");
        fails("2020010210111", SqlType.DATETIME, "'2020010210111' is not a valid DATETIME");
    }

    @Test
    void booleans() throws CastException {
        assertThat(cast("true", SqlType.BOOLEAN)).isEqualTo(true);
        assertThat(cast("FALSE", SqlType.BOOLEAN)).isEqualTo(false);
        assertThat(cast("1", SqlType.BOOLEAN)).isEqualTo(true);
        assertThat(cast(" 0 ", SqlType.BOOLEAN)).isEqualTo(false);
        assertThat(cast(1L, SqlType.BOOLEAN)).isEqualTo(true);
        assertThat(cast(0L, SqlType.BOOLEAN)).isEqualTo(false);
        assertThat(cast(Boolean.TRUE, SqlType.BOOLEAN)).isEqualTo(true);
        fails("yes", SqlType.BOOLEAN, "'yes' is not a valid BOOLEAN");
        fails("2", SqlType.BOOLEAN, "'2' is not a valid BOOLEAN");
        fails(LocalDate.of(2020, 1, 1), SqlType.BOOLEAN, "'2020-01-01' is not a valid BOOLEAN");
    }

    @Test
    void json() throws CastException {
        assertThat(cast("{\"a\": 1}", SqlType.JSON)).isEqualTo("{\"a\": 1}");
        assertThat(cast("[1,2]", SqlType.JSON)).isEqualTo("[1,2]");
        assertThat(cast(5L, SqlType.JSON)).isEqualTo("5");
        assertThat(cast(true, SqlType.JSON)).isEqualTo("true");
        assertThat(cast(LocalDate.of(2020, 1, 1), SqlType.JSON)).isEqualTo("\"2020-01-01\"");
        fails("{bad", SqlType.JSON, "'{bad' is not valid JSON");
        fails("", SqlType.JSON, "'' is not valid JSON");
        fails("1 2", SqlType.JSON, "'1 2' is not valid JSON");
    }

    @Test
    void longValuesAreShortenedInReasons() {
        String longText = "z".repeat(100);
        assertThatThrownBy(() -> Casts.cast(longText, SqlType.INT)).hasMessage("'" + "z".repeat(61) + "...' is not a valid INT");
    }

    @Test
    void sqlTypes() {
        assertThat(SqlType.decimal(10, 2).toSql()).isEqualTo("DECIMAL(10,2)");
        assertThat(SqlType.varchar(50).toSql()).isEqualTo("VARCHAR(50)");
        assertThat(SqlType.varchar(-1).toSql()).isEqualTo("VARCHAR");
        assertThat(SqlType.charType(3).toSql()).isEqualTo("CHAR(3)");
        assertThat(SqlType.of(SqlType.Kind.DATETIME)).isEqualTo(SqlType.DATETIME);
        assertThat(SqlType.kindOf("integer")).isEqualTo(SqlType.Kind.INT);
        assertThat(SqlType.kindOf("blob")).isNull();
        assertThat(SqlType.Kind.DECIMAL.isNumeric()).isTrue();
        assertThat(SqlType.Kind.VARCHAR.isString()).isTrue();
        assertThatThrownBy(() -> SqlType.decimal(39, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlType.decimal(5, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SqlType.varchar(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
