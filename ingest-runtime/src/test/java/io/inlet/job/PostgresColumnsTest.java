package io.inlet.job;

import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.testkit.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL tables as a job finds them: every column type loads (a value in a Kafka message reads back as the
 * server's own reading of the same value written as SQL), and columns the job leaves out keep their defaults.
 */
class PostgresColumnsTest extends TableColumnsFixture {

    static EmbeddedPostgres pg;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = EmbeddedPostgres.start();
        pg.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
        pg.execute("CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 10)");
        pg.execute("CREATE DOMAIN mood_domain AS mood");
        pg.execute("CREATE TYPE pair AS (n integer, s text)");
    }

    @AfterAll
    static void stopPostgres() {
        pg.close();
    }

    @Override
    Warehouse openWarehouse() throws Exception {
        return new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
    }

    @Override
    Connection connect() throws Exception {
        return pg.connect();
    }

    @Override
    String defaultDb() {
        return "public";
    }

    static Stream<TypeCase> types() {
        return Stream.of(
                new TypeCase("bytea", "\"\\\\xdeadbeef00\"", "'\\xdeadbeef00'::bytea"),
                new TypeCase("bytea", "\"a\\\\\\\\b\\\\001ü\"", "'a\\\\b\\001ü'::bytea"),
                new TypeCase("time", "\"12:34:56.789\"", "'12:34:56.789'::time"),
                new TypeCase("timetz", "\"12:34:56+02\"", "'12:34:56+02'::timetz"),
                new TypeCase("interval", "\"1 year 2 mons 3 days 04:05:06\"", "'1 year 2 mons 3 days 04:05:06'::interval"),
                new TypeCase("interval", "\"P1DT2H\"", "'1 day 2 hours'::interval"),
                new TypeCase("uuid", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid"),
                new TypeCase("inet", "\"192.168.0.1/24\"", "'192.168.0.1/24'::inet"),
                new TypeCase("inet", "\"2001:db8::1\"", "'2001:db8::1'::inet"),
                new TypeCase("cidr", "\"10.1.0.0/16\"", "'10.1.0.0/16'::cidr"),
                new TypeCase("json", "{\"a\":[1,2],\"b\":null}", "'{\"a\":[1,2],\"b\":null}'::json"),
                new TypeCase("jsonb", "{\"a\":[1,2],\"b\":\"x\\ty\"}", "jsonb_build_object('a', jsonb_build_array(1, 2), 'b', E'x\\ty')"),
                new TypeCase("integer[]", "[1,2,null]", "ARRAY[1, 2, NULL]::integer[]"),
                new TypeCase("text[]", "[\"a\",\"b \\\"q\\\" \\\\\",\"c,d\",\"{}\",\"NULL\"]",
                        "ARRAY['a', 'b \"q\" \\', 'c,d', '{}', 'NULL']"),
                new TypeCase("integer[][]", "[[1,2],[3,4]]", "ARRAY[[1, 2], [3, 4]]"),
                new TypeCase("jsonb[]", "[{\"a\":1},[2]]", "ARRAY['{\"a\":1}'::jsonb, '[2]'::jsonb]"),
                new TypeCase("timestamptz[]", "[\"2024-03-01 10:00:00+00\"]", "ARRAY['2024-03-01 10:00:00+00'::timestamptz]"),
                new TypeCase("mood", "\"happy\"", "'happy'::mood"),
                new TypeCase("mood_domain", "\"ok\"", "'ok'::mood"),
                new TypeCase("short_text", "\"abc\"", "'abc'::text"),
                new TypeCase("pair", "\"(1,abc)\"", "ROW(1, 'abc')::pair"),
                new TypeCase("int4range", "\"[1,5)\"", "int4range(1, 5)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void everyColumnTypeLoads(TypeCase c) throws Exception {
        String table = unique("t");
        sql("CREATE TABLE " + table + " (id integer, v " + c.type() + ")");
        load(table, null, List.of("{\"id\":1,\"v\":" + c.json() + "}", "{\"id\":2,\"v\":null}"));
        assertThat(query("SELECT v::text FROM " + table + " ORDER BY id"))
                .containsExactly(query("SELECT (" + c.sql() + ")::text").get(0), Arrays.asList((Object) null));
    }

    /** COPY's format holds for a statement: with one text-form column, the table's other types go in text too. */
    @Test
    void aTableWithATextFormColumnLoadsItsOtherTypesInTheirTextForm() throws Exception {
        String table = unique("mixed");
        sql("CREATE TABLE " + table + " (id integer, iv interval, b boolean, n numeric(12,3), f4 real, f8 float8,"
                + " big bigint, d date, ts timestamp, tz timestamptz, t text, u uuid, jb jsonb, m mood, by bytea)");
        load(table, null, List.of("""
                {"id":1,"iv":"2 hours","b":true,"n":"-12.3456","f4":1.5,"f8":1e300,"big":-9223372036854775808,
                 "d":"2024-02-29","ts":"2024-02-29 23:59:59.123456","tz":"2024-07-01 12:00:00",
                 "t":"tab\\there\\nnew\\\\line \\r ü € 😀","u":"A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
                 "jb":[1,"x"],"m":"sad","by":"\\\\x00ff"}""".replace("\n", ""),
                "{\"id\":2,\"b\":false}"));
        assertThat(query("SELECT iv::text, b, n::text, f4::text, f8::text, big, d::text, ts::text, tz::text, t,"
                + " u::text, jb::text, m::text, by::text FROM " + table + " ORDER BY id"))
                .containsExactly(
                        query("SELECT '2 hours'::interval::text, true, '-12.346', '1.5', '1e+300', -9223372036854775808,"
                                + " '2024-02-29', '2024-02-29 23:59:59.123456', '2024-07-01 12:00:00'::timestamptz::text,"
                                + " E'tab\\there\\nnew\\\\line \\r ü € 😀', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',"
                                + " '[1, \"x\"]', 'sad', '\\x00ff'").get(0),
                        Arrays.asList(null, false, null, null, null, null, null, null, null, null, null,
                                null, null, null));
    }

    @Test
    void columnsTheJobLeavesOutKeepTheirDefaults() throws Exception {
        String table = unique("events");
        sql("CREATE TABLE " + table + " (id bigserial PRIMARY KEY, name text NOT NULL,"
                + " created timestamptz NOT NULL DEFAULT now(), status text DEFAULT 'new', score int DEFAULT 42,"
                + " ident int GENERATED ALWAYS AS IDENTITY, ident2 bigint GENERATED BY DEFAULT AS IDENTITY,"
                + " len int GENERATED ALWAYS AS (length(name)) STORED, note text)");
        load(table, "name", IntStream.range(0, 5).mapToObj(i -> "{\"name\":\"n" + i + "\"}").toList());
        assertThat(query("SELECT id, name, created IS NOT NULL, status, score, ident, ident2, len, note FROM "
                + table + " ORDER BY id")).containsExactly(
                Arrays.asList(1L, "n0", true, "new", 42, 1, 1L, 2, null),
                Arrays.asList(2L, "n1", true, "new", 42, 2, 2L, 2, null),
                Arrays.asList(3L, "n2", true, "new", 42, 3, 3L, 2, null),
                Arrays.asList(4L, "n3", true, "new", 42, 4, 4L, 2, null),
                Arrays.asList(5L, "n4", true, "new", 42, 5, 5L, 2, null));
    }

    @Test
    void withoutColumnsAJsonJobMapsEveryColumnButTheGeneratedOnes() throws Exception {
        String table = unique("gen");
        sql("CREATE TABLE " + table + " (name text, status text DEFAULT 'new',"
                + " len int GENERATED ALWAYS AS (length(name)) STORED, ident int GENERATED ALWAYS AS IDENTITY)");
        load(table, null, List.of("{\"name\":\"abc\",\"status\":\"old\"}"));
        assertThat(query("SELECT name, status, len, ident FROM " + table)).containsExactly(List.of("abc", "old", 3, 1));
    }

    @Test
    void aGeneratedColumnInColumnsIsRefusedNamingIt() throws Exception {
        String table = unique("gen");
        sql("CREATE TABLE " + table + " (name text, len int GENERATED ALWAYS AS (length(name)) STORED)");
        assertThatThrownBy(() -> jobs.execute(createStatement("gen_job", table, "name, len", "t")))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("column 'len' of table public." + table + " is generated");
    }

    @Test
    void aColumnTypeInletCannotLoadIsRefusedAtCreateNamingTheColumnAndItsType() throws Exception {
        String table = unique("wide");
        sql("CREATE TABLE " + table + " (id int, big numeric(50,2))");
        assertThatThrownBy(() -> jobs.execute(createStatement("wide_job", table, null, "t")))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("column 'big' of table public." + table + " has type numeric");
    }
}
