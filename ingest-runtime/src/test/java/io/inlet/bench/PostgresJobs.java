package io.inlet.bench;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.testkit.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A private PostgreSQL with its default {@code max_connections} (100), the job catalog in it. The harness's own two
 * connections are opened before the runtime starts, since a full server refuses new ones, and name themselves so
 * that {@code pg_stat_activity} tells them from the runtime's.
 */
final class PostgresJobs implements JobsWarehouse {

    private static final int MAX_CONNECTIONS = 100;
    private static final String HARNESS = "inlet-many-jobs-harness";
    private static final int TABLES_PER_QUERY = 100;

    private final EmbeddedPostgres pg = EmbeddedPostgres.start(MAX_CONNECTIONS);
    private final Connection counting;
    private final Connection sampling;

    PostgresJobs() throws SQLException {
        counting = connect();
        sampling = connect();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(pg.jdbcUrl() + "?ApplicationName=" + HARNESS, EmbeddedPostgres.USER, "");
    }

    @Override
    public String config(EmbeddedKafkaBroker broker) {
        return """
                warehouse:
                  url: %s
                  user: %s
                """.formatted(pg.jdbcUrl(), EmbeddedPostgres.USER);
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public void createTables(Collection<String> tables) throws SQLException {
        try (Statement s = counting.createStatement()) {
            for (String t : tables) {
                s.addBatch("CREATE TABLE " + t + " (id BIGINT, name VARCHAR(32), ts BIGINT)");
            }
            s.executeBatch();
        }
    }

    @Override
    public Map<String, Long> rows(Collection<String> tables) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        query(tables, "count(*), 0", (t, rs) -> out.put(t, rs.getLong(2)));
        return out;
    }

    @Override
    public Map<String, TableCount> counts(Collection<String> tables) throws SQLException {
        Map<String, TableCount> out = new HashMap<>();
        query(tables, "count(*), count(DISTINCT id)", (t, rs) -> out.put(t, new TableCount(rs.getLong(2), rs.getLong(3))));
        return out;
    }

    private interface RowReader {
        void read(String table, ResultSet rs) throws SQLException;
    }

    /** One query per {@value #TABLES_PER_QUERY} tables: a UNION ALL of the aggregates of each. */
    private void query(Collection<String> tables, String aggregates, RowReader reader) throws SQLException {
        List<String> all = new ArrayList<>(tables);
        for (int from = 0; from < all.size(); from += TABLES_PER_QUERY) {
            List<String> part = all.subList(from, Math.min(all.size(), from + TABLES_PER_QUERY));
            String sql = String.join(" UNION ALL ", part.stream()
                    .map(t -> "SELECT '" + t + "', " + aggregates + " FROM " + t).toList());
            try (Statement s = counting.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    reader.read(rs.getString(1), rs);
                }
            }
        }
    }

    @Override
    public int connections() throws SQLException {
        try (Statement s = sampling.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM"
                + " pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database()"
                + " AND application_name <> '" + HARNESS + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public int peakRequests() {
        return -1;
    }

    @Override
    public void close() {
        for (Connection c : List.of(counting, sampling)) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the server stops next
            }
        }
        pg.close();
    }
}
