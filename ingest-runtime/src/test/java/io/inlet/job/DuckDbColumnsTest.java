package io.inlet.job;

import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DuckDB tables as a job finds them: every column type loads (a value in a Kafka message reads back equal to the
 * same value written as a DuckDB literal), and columns the job leaves out keep their defaults.
 */
class DuckDbColumnsTest extends TableColumnsFixture {

    @TempDir
    Path dir;

    @Override
    Warehouse openWarehouse() throws Exception {
        return new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("test.duckdb"));
    }

    @Override
    Connection connect() throws Exception {
        return ((DuckDbWarehouse) warehouse).connect();
    }

    @Override
    String defaultDb() {
        return "main";
    }

    static Stream<TypeCase> types() {
        return Stream.of(
                new TypeCase("UUID", "\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID"),
                new TypeCase("HUGEINT", "\"-170141183460469231731687303715884105728\"", "'-170141183460469231731687303715884105728'"),
                new TypeCase("HUGEINT", "12345678901234567890123", "12345678901234567890123::HUGEINT"),
                new TypeCase("TIME", "\"12:34:56.789\"", "TIME '12:34:56.789'"),
                new TypeCase("TIMETZ", "\"12:34:56+02\"", "'12:34:56+02'::TIMETZ"),
                new TypeCase("INTERVAL", "\"1 year 2 months 3 days 04:05:06\"", "INTERVAL 1 YEAR + INTERVAL 2 MONTH + INTERVAL 3 DAY + INTERVAL '04:05:06'"),
                new TypeCase("BLOB", "\"\\\\xDE\\\\xAD\\\\x00abc\"", "'\\xDE\\xAD\\x00abc'::BLOB"),
                new TypeCase("INTEGER[]", "[1,2,null]", "[1, 2, NULL]::INTEGER[]"),
                new TypeCase("VARCHAR[]", "[\"a\",\"b,c\",\"[d]\"]", "['a', 'b,c', '[d]']"),
                new TypeCase("INTEGER[2]", "[7,8]", "[7, 8]::INTEGER[2]"),
                new TypeCase("STRUCT(a INTEGER, b VARCHAR)", "{\"a\":1,\"b\":\"x\"}", "{'a': 1, 'b': 'x'}::STRUCT(a INTEGER, b VARCHAR)"),
                new TypeCase("STRUCT(a INTEGER, b VARCHAR)[]", "[{\"a\":1,\"b\":\"x\"},{\"a\":2,\"b\":null}]",
                        "[{'a': 1, 'b': 'x'}, {'a': 2, 'b': NULL}]::STRUCT(a INTEGER, b VARCHAR)[]"),
                new TypeCase("MAP(VARCHAR, INTEGER)", "{\"k\":1,\"l\":2}", "MAP {'k': 1, 'l': 2}"),
                new TypeCase("MAP(VARCHAR, INTEGER[])", "{\"k\":[1,2]}", "MAP {'k': [1, 2]}"),
                new TypeCase("ENUM('sad', 'ok', 'happy')", "\"ok\"", "'ok'"),
                new TypeCase("UBIGINT", "18446744073709551615", "18446744073709551615::UBIGINT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void everyColumnTypeLoads(TypeCase c) throws Exception {
        String table = unique("t");
        sql("CREATE TABLE " + table + " (id INTEGER, v " + c.type() + ")");
        load(table, null, List.of("{\"id\":1,\"v\":" + c.json() + "}", "{\"id\":2,\"v\":null}"));
        assertThat(query("SELECT CAST(v AS VARCHAR) FROM " + table + " ORDER BY id"))
                .containsExactly(query("SELECT CAST((" + c.sql() + ")::" + c.type() + " AS VARCHAR)").get(0),
                        Arrays.asList((Object) null));
    }

    @Test
    void columnsTheJobLeavesOutKeepTheirDefaults() throws Exception {
        String table = unique("events");
        sql("CREATE SEQUENCE " + table + "_seq");
        sql("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY DEFAULT nextval('" + table + "_seq'), name VARCHAR NOT NULL,"
                + " created TIMESTAMP NOT NULL DEFAULT now(), status VARCHAR DEFAULT 'new', score INTEGER DEFAULT 42,"
                + " len INTEGER GENERATED ALWAYS AS (length(name)), note VARCHAR)");
        load(table, "name", IntStream.range(0, 5).mapToObj(i -> "{\"name\":\"n" + i + "\"}").toList());
        assertThat(query("SELECT id, name, created IS NOT NULL, status, score, len, note FROM " + table + " ORDER BY id"))
                .containsExactly(
                        Arrays.asList(1L, "n0", true, "new", 42, 2, null),
                        Arrays.asList(2L, "n1", true, "new", 42, 2, null),
                        Arrays.asList(3L, "n2", true, "new", 42, 2, null),
                        Arrays.asList(4L, "n3", true, "new", 42, 2, null),
                        Arrays.asList(5L, "n4", true, "new", 42, 2, null));
    }

    @Test
    void withoutColumnsAJsonJobMapsEveryColumnButTheGeneratedOnes() throws Exception {
        String table = unique("gen");
        sql("CREATE TABLE " + table + " (name VARCHAR, status VARCHAR DEFAULT 'new',"
                + " len INTEGER GENERATED ALWAYS AS (length(name)))");
        load(table, null, List.of("{\"name\":\"abc\",\"status\":\"old\"}"));
        assertThat(query("SELECT name, status, len FROM " + table)).containsExactly(List.of("abc", "old", 3));
    }

    @Test
    void aGeneratedColumnInColumnsIsRefusedNamingIt() throws Exception {
        String table = unique("gen");
        sql("CREATE TABLE " + table + " (name VARCHAR, len INTEGER GENERATED ALWAYS AS (length(name)))");
        assertThatThrownBy(() -> jobs.execute(createStatement("gen_job", table, "name, len", "t")))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("column 'len' of table main." + table + " is generated");
    }
}
