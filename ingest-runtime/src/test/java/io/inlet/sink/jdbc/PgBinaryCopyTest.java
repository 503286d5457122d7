package io.inlet.sink.jdbc;

import io.inlet.job.JobRecord;
import io.inlet.job.JobState;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.TableSchema;
import io.inlet.testkit.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Binary COPY against a real PostgreSQL: every row loaded through the session reads back exactly
 * as the same values written as SQL text literals (what the server's own parsing makes of them).
 */
class PgBinaryCopyTest {

    static EmbeddedPostgres pg;

    static final String COLUMNS = "id integer, b boolean, i2 smallint, i4 integer, i8 bigint, f4 real,"
            + " f8 double precision, n numeric(20,4), nbig numeric(38,10), nint numeric(10,0), t text,"
            + " v varchar(40), c char(5), j json, jb jsonb, u uuid, d date, ts timestamp, tz timestamptz,"
            + " pos positive_int";

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start();
        pg.execute("CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)");
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    /** One row: its values as the mapper hands them over, and the same values as SQL literals. */
    record Case(Object[] values, String[] literals) {}

    static Case row(int id, Object... valuesAndLiterals) {
        Object[] values = new Object[valuesAndLiterals.length / 2 + 1];
        String[] literals = new String[values.length];
        values[0] = (long) id;
        literals[0] = String.valueOf(id);
        for (int i = 0; i < valuesAndLiterals.length; i += 2) {
            values[i / 2 + 1] = valuesAndLiterals[i];
            literals[i / 2 + 1] = (String) valuesAndLiterals[i + 1];
        }
        return new Case(values, literals);
    }

    static List<Case> cases() {
        return List.of(
                row(1, true, "true", 1L, "1", 2L, "2", 3L, "3", 0.1, "0.1", 0.1, "0.1", new BigDecimal("123.4500"), "123.45",
                        new BigDecimal("0E-10"), "0", new BigDecimal("10000"), "10000", "plain", "'plain'",
                        "ab", "'ab'", "ab", "'ab'", "{\"a\": [1, 2.50]}", "'{\"a\": [1, 2.50]}'",
                        "{\"b\": 1, \"a\": \"x\"}", "'{\"b\": 1, \"a\": \"x\"}'",
                        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'",
                        LocalDate.of(2000, 1, 1), "'2000-01-01'", LocalDateTime.of(2000, 1, 1, 0, 0), "'2000-01-01 00:00'",
                        LocalDateTime.of(2021, 6, 1, 12, 30, 15, 123_456_000), "'2021-06-01 12:30:15.123456'",
                        7L, "7"),
                row(2, false, "false", -32768L, "-32768", (long) Integer.MIN_VALUE, "-2147483648", Long.MIN_VALUE,
                        "-9223372036854775808", -1.5e30, "-1.5e30", -1e-300, "-1e-300", new BigDecimal("-0.0005"), "-0.0005",
                        new BigDecimal("1234567890123456789012345678.1234567890"), "1234567890123456789012345678.123456789",
                        new BigDecimal("-1"), "-1", "multi-byte: héllo wörld ✓ 日本語 😀", "'multi-byte: héllo wörld ✓ 日本語 😀'",
                        "", "''", "日本", "'日本'", "[]", "'[]'", "[1, {\"k\": null}]", "'[1, {\"k\": null}]'",
                        "{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}", "'{A0EEBC99-9C0B4EF8-BB6D6BB9-BD380A11}'",
                        LocalDate.of(1999, 12, 31), "'1999-12-31'", LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000),
                        "'1999-12-31 23:59:59.999999'", LocalDateTime.of(1960, 3, 4, 5, 6, 7, 1000), "'1960-03-04 05:06:07.000001'",
                        2_147_483_647L, "2147483647"),
                row(3, null, "NULL", 32767L, "32767", (long) Integer.MAX_VALUE, "2147483647", Long.MAX_VALUE,
                        "9223372036854775807", 3.4028234663852886E38, "3.4028235e38", 123.45, "123.45",
                        new BigDecimal("9999999999999999.9999"), "9999999999999999.9999",
                        new BigDecimal("-0.0000000001"), "-0.0000000001", new BigDecimal("99999"), "99999",
                        "tab\tnewline\nback\\slash \"quote\"", "E'tab\\tnewline\\nback\\\\slash \"quote\"'",
                        null, "NULL", null, "NULL", null, "NULL", null, "NULL",
                        "a0eebc999c0b4ef8bb6d6bb9bd380a11", "'a0eebc999c0b4ef8bb6d6bb9bd380a11'",
                        LocalDate.of(1969, 7, 20), "'1969-07-20'", LocalDateTime.of(1969, 12, 31, 23, 59, 59),
                        "'1969-12-31 23:59:59'", LocalDateTime.of(1900, 1, 1, 0, 0), "'1900-01-01 00:00'", null, "NULL"),
                row(4, null, "NULL", null, "NULL", null, "NULL", null, "NULL", null, "NULL", null, "NULL", null, "NULL",
                        null, "NULL", null, "NULL", null, "NULL", null, "NULL", null, "NULL", null, "NULL", null, "NULL",
                        null, "NULL", LocalDate.of(1, 1, 1), "'0001-01-01'", LocalDateTime.of(9999, 12, 31, 23, 59, 59),
                        "'9999-12-31 23:59:59'", LocalDateTime.of(1970, 1, 1, 0, 0), "'1970-01-01 00:00'", null, "NULL"));
    }

    @Test
    void everyTypeReadsBackAsItsTextLiteral() throws Exception {
        assertRoundTrip("types", cases());
    }

    @Test
    void rowsSpanningManyChunksAndValuesLargerThanAChunkArriveWhole() throws Exception {
        pg.execute("CREATE TABLE big (id bigint, t text)");
        int rows = 20_000;
        long expectedLength = 0;
        try (PostgresWarehouse w = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "")) {
            TableSchema table = w.describe(null, "big");
            w.catalog().insert(new JobRecord(3, "b", "big", "-", JobState.RUNNING, "", Instant.now(), null, null));
            long generation = w.claim(3, List.of("0"));
            try (LoadSession s = w.openSession(3, generation, table)) {
                s.begin(java.util.Map.of());
                for (int i = 0; i < rows; i++) {
                    String t = i == 777 ? "é".repeat(200_000) : i == 778 ? "x".repeat(300_000) : "row " + i + " ".repeat(i % 50);
                    expectedLength += t.length();
                    s.append(new Object[] {(long) i, t});
                }
                s.commit(List.of(new PartitionCommit("0", "1", rows, rows, 0, 0, 0)));
            }
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT count(*), sum(length(t)), sum(id), count(*) FILTER (WHERE t = 'row ' || id || repeat(' ', (id % 50)::int))"
                        + " FROM big")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(rows);
            assertThat(rs.getLong(2)).isEqualTo(expectedLength);
            assertThat(rs.getLong(3)).isEqualTo((long) rows * (rows - 1) / 2);
            assertThat(rs.getLong(4)).isEqualTo(rows - 2);
        }
    }

    /** The driver sets the session's TimeZone to the JVM's default zone. */
    @Test
    void timestamptzIsReadInTheSessionZoneAcrossDaylightSavingTransitions() throws Exception {
        TimeZone original = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("America/New_York"));
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW TimeZone")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("America/New_York");
            assertRoundTrip("zoned", zonedCases());
        } finally {
            TimeZone.setDefault(original);
        }
    }

    private static List<Case> zonedCases() {
        List<Case> cases = new ArrayList<>();
        LocalDateTime[] times = {LocalDateTime.of(2021, 6, 1, 12, 0), LocalDateTime.of(2021, 3, 14, 2, 30),
                LocalDateTime.of(2021, 11, 7, 1, 30), LocalDateTime.of(1950, 1, 1, 0, 0, 0, 500_000_000)};
        for (int i = 0; i < times.length; i++) {
            Case base = cases().get(3);
            Object[] values = base.values().clone();
            String[] literals = base.literals().clone();
            values[0] = (long) i;
            literals[0] = String.valueOf(i);
            values[18] = times[i];
            literals[18] = "'" + times[i].toString().replace('T', ' ') + "'";
            cases.add(new Case(values, literals));
        }
        return cases;
    }

    @Test
    void aUuidIsAcceptedExactlyWhenPostgresqlAcceptsItsText() throws Exception {
        List<String> accepted = List.of("a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc999c0b4ef8bb6d6bb9bd380a11}");
        List<String> rejected = List.of("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eeb-c99-9c0b-4ef8-bb6d-6bb9bd380a11",
                "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g",
                "-a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99--9c0b-4ef8-bb6d-6bb9bd380a11", "");
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (String text : accepted) {
                s.execute("SELECT '" + text + "'::uuid");
            }
            for (String text : rejected) {
                assertThatThrownBy(() -> s.execute("SELECT '" + text + "'::uuid")).hasMessageContaining("uuid");
            }
        }
        pg.execute("CREATE TABLE uuids (u uuid)");
        try (PostgresWarehouse w = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "")) {
            TableSchema table = w.describe(null, "uuids");
            w.catalog().insert(new JobRecord(2, "b", "bad", "-", JobState.RUNNING, "", Instant.now(), null, null));
            long generation = w.claim(2, List.of("0"));
            try (LoadSession s = w.openSession(2, generation, table)) {
                s.begin(java.util.Map.of());
                for (String text : rejected) {
                    assertThatThrownBy(() -> s.append(new Object[] {text})).hasMessageContaining("uuid");
                }
                s.rollback();
                s.begin(java.util.Map.of());
                for (String text : accepted) {
                    s.append(new Object[] {text});
                }
                s.commit(List.of(new PartitionCommit("0", "1", 2, 2, 0, 0, 0)));
            }
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM uuids WHERE u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    private void assertRoundTrip(String name, List<Case> cases) throws Exception {
        pg.execute("CREATE TABLE loaded_" + name + " (" + COLUMNS + ")");
        pg.execute("CREATE TABLE expected_" + name + " (" + COLUMNS + ")");
        long jobId = name.hashCode() & 0xffff;
        try (PostgresWarehouse w = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "")) {
            TableSchema table = w.describe(null, "loaded_" + name);
            w.catalog().insert(new JobRecord(jobId, "b", name, "-", JobState.RUNNING, "", Instant.now(), null, null));
            long generation = w.claim(jobId, List.of("0"));
            try (LoadSession s = w.openSession(jobId, generation, table)) {
                s.begin(java.util.Map.of());
                for (Case c : cases) {
                    s.append(c.values());
                }
                s.commit(List.of(new PartitionCommit("0", "1", cases.size(), cases.size(), 0, 0, 0)));
            }
        }
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            for (Case row : cases) {
                s.execute("INSERT INTO expected_" + name + " VALUES (" + String.join(", ", row.literals()) + ")");
            }
            assertThat(rows(s, "loaded_" + name)).hasSize(cases.size()).isEqualTo(rows(s, "expected_" + name));
        }
    }

    private static List<String> rows(Statement s, String table) throws Exception {
        List<String> out = new ArrayList<>();
        String columns = String.join(", ", Arrays.stream(COLUMNS.split(", (?=[a-z0-9]+ )"))
                .map(c -> c.trim().split(" ")[0] + "::text").toList());
        try (ResultSet rs = s.executeQuery("SELECT " + columns + " FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                StringJoiner row = new StringJoiner(" | ");
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(String.valueOf(rs.getString(i)));
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
