package io.inlet.bench;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.testkit.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

/** A warehouse the measured job loads the stock table of: its part of the service's config, its table, its rows. */
interface KinesisTarget extends AutoCloseable {

    String path();

    String config();

    Map<String, String> environment();

    void createTable(String table) throws Exception;

    /** The rows loaded so far into {@code table} (by the job {@code <table>_job}), as the window polls them. */
    long rows(LoadBenchmark.Api api, String table) throws Exception;

    /** Null when each record is in the table once, else what is wrong. */
    String exactlyOnce(String table, long records) throws Exception;

    /** A private PostgreSQL cluster; the job catalog in it. Rows from the service's API, as {@code bench/run}. */
    final class Postgres implements KinesisTarget {
        private final EmbeddedPostgres pg = EmbeddedPostgres.start();

        @Override
        public String path() {
            return "Inlet → PostgreSQL";
        }

        @Override
        public String config() {
            return "warehouse:\n  url: " + pg.jdbcUrl() + "\n  user: " + EmbeddedPostgres.USER + "\n";
        }

        @Override
        public Map<String, String> environment() {
            return Map.of();
        }

        @Override
        public void createTable(String table) throws Exception {
            pg.execute("CREATE TABLE " + table
                    + " (EVENT_TIME TIMESTAMP NOT NULL, TICKER VARCHAR(65533) NOT NULL, PRICE REAL)");
        }

        @Override
        public long rows(LoadBenchmark.Api api, String table) throws Exception {
            return api.settled(table + "_job");
        }

        @Override
        public String exactlyOnce(String table, long records) throws Exception {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT EVENT_TIME) FROM " + table)) {
                rs.next();
                return rs.getLong(1) == records && rs.getLong(2) == records ? null
                        : rs.getLong(1) + " rows, " + rs.getLong(2) + " distinct, of " + records + " records";
            }
        }

        @Override
        public void close() {
            pg.close();
        }
    }

    /**
     * The Stream Load test server (Doris flavor) with a counting table (it counts each body's records by their
     * structure, so the endpoint costs little on shared cores); the job catalog in a Kafka broker of its own.
     */
    final class StreamLoad implements KinesisTarget {
        private static final String DATABASE = "bench";
        private static final String PASSWORD = "kinesis-bench-pw-3c8e";
        private final StreamLoadTestServer server = StreamLoadTestServer.builder(Flavor.DORIS)
                .credentials("loader", PASSWORD).build();
        private final EmbeddedKafkaBroker catalog = EmbeddedKafkaBroker.builder().start();

        @Override
        public String path() {
            return "Inlet → Stream Load (Doris)";
        }

        @Override
        public String config() {
            return """
                    warehouse:
                      type: doris
                      load-url: %s
                      user: loader
                      database: %s
                    catalog:
                      kafka:
                        bootstrap-servers: %s
                    """.formatted(server.loadUrl(), DATABASE, catalog.bootstrapServers());
        }

        @Override
        public Map<String, String> environment() {
            return Map.of("INLET_WAREHOUSE_PASSWORD", PASSWORD);
        }

        @Override
        public void createTable(String table) {
            server.createCountingTable(DATABASE, table, "event_time DATETIME", "ticker VARCHAR(16)", "price DOUBLE");
        }

        @Override
        public long rows(LoadBenchmark.Api api, String table) {
            return server.rowCount(DATABASE, table);
        }

        @Override
        public String exactlyOnce(String table, long records) {
            long rows = server.rowCount(DATABASE, table);
            return rows == records ? null : rows + " rows of " + records + " records";
        }

        @Override
        public void close() {
            try {
                catalog.close();
            } finally {
                server.close();
            }
        }
    }
}
