package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.testkit.EmbeddedPostgres;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One warehouse of each kind behind one face, for tests that run the same job into DuckDB, PostgreSQL and
 * the Stream Load test server: a runtime over it, tables made from portable column definitions, and the
 * rows read back with values of the same Java types whatever the sink (Long, BigDecimal, String,
 * LocalDateTime, LocalDate, Boolean, Double).
 */
abstract class TestSink implements AutoCloseable {

    enum Kind { DUCKDB, POSTGRES, STREAMLOAD }

    final JobManager jobs;

    private TestSink(Warehouse warehouse, String db) {
        this.jobs = new JobManager(warehouse, db, Clock.systemUTC(), 8)
                .autoResumeBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
    }

    abstract String db();

    /** Creates a table; {@code columns} like "userid VARCHAR(50)", "dt TIMESTAMP", "n BIGINT NOT NULL". */
    abstract void createTable(String table, String... columns) throws Exception;

    /** The table's rows, column names in lower case. */
    abstract List<Map<String, Object>> rows(String table) throws Exception;

    RoutineLoadJob job(String name) {
        return jobs.findAny(new JobRef(db(), name)).orElseThrow();
    }

    Map<String, String> show(String name) throws Exception {
        SqlResult r = jobs.execute("SHOW ROUTINE LOAD FOR " + name);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i), String.valueOf(r.rows().get(0).get(i)));
        }
        return m;
    }

    /** @param dir a folder of the test's, for DuckDB's file; @param pg the class's PostgreSQL, for POSTGRES */
    static TestSink open(Kind kind, Path dir, EmbeddedPostgres pg) throws Exception {
        return switch (kind) {
            case DUCKDB -> new Jdbc(new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("test.duckdb")), "main", null);
            case POSTGRES -> new Jdbc(new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, ""), "public", pg);
            case STREAMLOAD -> new StreamLoad(StreamLoadTestServer.builder(Flavor.STARROCKS)
                    .credentials("loader", "s3cret-pw").build());
        };
    }

    static Object normalize(Object v) {
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.time.OffsetDateTime o) {
            return o.toLocalDateTime();
        }
        return v;
    }

    private static final class Jdbc extends TestSink {
        private final Warehouse warehouse;
        private final String db;
        private final EmbeddedPostgres pg;

        Jdbc(Warehouse warehouse, String db, EmbeddedPostgres pg) {
            super(warehouse, db);
            this.warehouse = warehouse;
            this.db = db;
            this.pg = pg;
        }

        private Connection connect() throws Exception {
            return pg != null ? pg.connect() : ((DuckDbWarehouse) warehouse).connect();
        }

        @Override
        String db() {
            return db;
        }

        @Override
        void createTable(String table, String... columns) throws Exception {
            String cols = String.join(", ", columns).replace(" DOUBLE", " DOUBLE PRECISION");
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + table + " (" + cols + ")");
            }
        }

        @Override
        List<Map<String, Object>> rows(String table) throws Exception {
            try (Connection c = connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
                List<Map<String, Object>> rows = new ArrayList<>();
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT), normalize(rs.getObject(i)));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }

        @Override
        public void close() {
            jobs.close();
            warehouse.close();
        }
    }

    private static final class StreamLoad extends TestSink {
        private final StreamLoadTestServer server;

        StreamLoad(StreamLoadTestServer server) {
            super(new io.inlet.sink.streamload.StreamLoadWarehouse(server.clientConfig(StreamLoadFixture.DB, "_").build(),
                    new io.inlet.testkit.MemoryJobCatalog()), StreamLoadFixture.DB);
            this.server = server;
        }

        @Override
        String db() {
            return StreamLoadFixture.DB;
        }

        @Override
        void createTable(String table, String... columns) {
            String[] cols = new String[columns.length];
            for (int i = 0; i < columns.length; i++) {
                cols[i] = columns[i].replace(" TIMESTAMP", " DATETIME");
            }
            server.createTable(StreamLoadFixture.DB, table, cols);
        }

        @Override
        List<Map<String, Object>> rows(String table) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map<String, Object> r : server.rows(StreamLoadFixture.DB, table)) {
                Map<String, Object> row = new LinkedHashMap<>();
                r.forEach((k, v) -> row.put(k.toLowerCase(Locale.ROOT), normalize(v)));
                rows.add(row);
            }
            return rows;
        }

        @Override
        public void close() {
            jobs.close();
            server.close();
        }
    }

    /** The statement's FROM KAFKA clause for {@code topic} from the beginning, plus {@code extra} properties. */
    static String fromKafka(EmbeddedKafkaBroker broker, String topic, String extra) {
        return "FROM KAFKA ('kafka_broker_list'='" + broker.bootstrapServers() + "', 'kafka_topic'='" + topic
                + "', 'property.kafka_default_offsets'='OFFSET_BEGINNING'" + (extra.isEmpty() ? "" : ", " + extra) + ")";
    }

    static BigDecimal dec(String s) {
        return new BigDecimal(s);
    }

    static LocalDateTime ldt(String iso) {
        return LocalDateTime.parse(iso);
    }
}
