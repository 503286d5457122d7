package io.inlet.sink.jdbc;

import io.inlet.expr.SqlType;
import io.inlet.sink.LoadSession;
import io.inlet.sink.TableSchema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * An embedded DuckDB database file. Rows go in through DuckDB's Appender, inside the batch's
 * transaction; every task has its own connection to the one database instance. The Appender fills every
 * column and takes only some types, so a job that leaves out defaulted columns, or a table with a column the
 * Appender cannot take, appends into a staging table and moves the batch with one INSERT ... SELECT
 * ({@link DuckDbColumns}).
 */
public final class DuckDbWarehouse extends JdbcWarehouse {

    private final DuckDBConnection root;

    /** DuckDB's own default is 80% of the machine's memory; a loader shares its host, so it gets a bound. */
    static final String DEFAULT_MEMORY_LIMIT = "128MB";

    public DuckDbWarehouse(String url) throws SQLException {
        this(url, DEFAULT_MAX_CONNECTIONS);
    }

    public DuckDbWarehouse(String url, int maxConnections) throws SQLException {
        super(maxConnections);
        java.util.Properties config = new java.util.Properties();
        if (!url.contains("memory_limit")) {
            config.setProperty("memory_limit", DEFAULT_MEMORY_LIMIT);
        }
        if (!url.contains("threads")) {
            config.setProperty("threads", "1");
        }
        try {
            this.root = (DuckDBConnection) DriverManager.getConnection(url, config);
        } catch (SQLException e) {
            if (e.getMessage() != null && e.getMessage().contains("Could not set lock")) {
                throw new SQLException("DuckDB is embedded in one process, so a DuckDB warehouse runs on one Inlet"
                        + " replica: " + url + " is open in another process (" + e.getMessage().replaceAll("\\s+", " ")
                        + "). Stop the other runtime, or use PostgreSQL, StarRocks or Doris for several replicas", e);
            }
            throw e;
        }
        createStateTables();
    }

    @Override
    public String kind() {
        return "duckdb";
    }

    @Override
    protected Connection openConnection() throws SQLException {
        return root.duplicate();
    }

    /** A plain connection to the same database, for queries (demo, tests). */
    public Connection connect() throws SQLException {
        return root.duplicate();
    }

    @Override
    public LoadSession openSession(long jobId, long generation, TableSchema table) throws SQLException {
        return new Session(this, jobId, generation, table);
    }

    @Override
    public void close() {
        closeConnections();
        try {
            root.close();
        } catch (SQLException ignored) {
            // closing
        }
    }

    private static final class Session extends JdbcLoadSession {
        private final SqlType.Kind[] kinds;
        /** DATETIME columns stored as TIMESTAMP (microseconds), which take epoch microseconds as they are. */
        private final boolean[] microsTimestamp;
        /** The table's columns when rows go through a staging table (created on each batch's connection); else null. */
        private final DuckDbColumns staged;
        /** With {@link #staged}: the INSERT ... SELECT that moves the batch's rows into the table. */
        private String stagedInsert;
        private DuckDBAppender appender;

        Session(JdbcWarehouse warehouse, long jobId, long generation, TableSchema table) throws SQLException {
            super(warehouse, jobId, generation, table);
            this.kinds = table.columns().stream().map(c -> c.type().kind()).toArray(SqlType.Kind[]::new);
            DuckDbColumns columns = warehouse.onLoadConnection(c -> DuckDbColumns.read(c, table));
            this.microsTimestamp = columns.microsTimestamps();
            this.staged = columns.needsStaging() ? columns : null;
        }

        @Override
        protected void openWriter() throws SQLException {
            DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
            if (staged == null) {
                appender = duck.createAppender(table.schema(), table.table());
                return;
            }
            // a temporary table lives on its connection, and the batch's connection is any of the pool's
            stagedInsert = staged.createStaging(duck);
            appender = duck.createAppender(DuckDbColumns.STAGING_CATALOG, DuckDbColumns.STAGING_SCHEMA,
                    DuckDbColumns.STAGING_TABLE);
        }

        @Override
        protected void writeRow(Object[] row) throws SQLException {
            DuckDBAppender a = appender;
            a.beginRow();
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                if (v == null) {
                    a.appendNull();
                    continue;
                }
                switch (kinds[i]) {
                    case BOOLEAN -> a.append((boolean) (Boolean) v);
                    case TINYINT -> a.append(((Number) v).byteValue());
                    case SMALLINT -> a.append(((Number) v).shortValue());
                    case INT -> a.append(((Number) v).intValue());
                    case BIGINT -> a.append(((Number) v).longValue());
                    case LARGEINT -> a.append(v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue()));
                    case FLOAT -> a.append(((Number) v).floatValue());
                    case DOUBLE -> a.append(((Number) v).doubleValue());
                    case DECIMAL -> a.append(v instanceof BigDecimal d ? d : new BigDecimal(v.toString()));
                    case DATE -> a.append((LocalDate) v);
                    case DATETIME -> {
                        if (microsTimestamp[i]) {
                            a.appendEpochMicros(epochMicros((LocalDateTime) v));
                        } else {
                            a.append((LocalDateTime) v);
                        }
                    }
                    default -> a.append(v.toString());
                }
            }
            a.endRow();
        }

        /** Microseconds since 1970, rounded toward zero as the Appender's own LocalDateTime conversion does. */
        static long epochMicros(LocalDateTime t) {
            long day = t.toLocalDate().toEpochDay();
            long nanoOfDay = t.toLocalTime().toNanoOfDay();
            long micros = day * 86_400_000_000L + nanoOfDay / 1_000;
            return day < 0 && nanoOfDay % 1_000 != 0 ? micros + 1 : micros;
        }

        @Override
        protected void finishWriter() throws SQLException {
            if (appender != null) {
                appender.flush();
                appender.close();
                appender = null;
                if (staged != null) {
                    moveStagedRows();
                }
            }
        }

        private void moveStagedRows() throws SQLException {
            try (Statement s = connection.createStatement()) {
                s.execute(stagedInsert);
                s.execute("DELETE FROM " + DuckDbColumns.STAGING);
            } catch (SQLException e) {
                throw new SQLException("the batch's rows did not go into " + table.qualifiedName() + ": "
                        + e.getMessage(), e);
            }
        }

        @Override
        protected void abandonWriter() {
            if (appender != null) {
                try {
                    appender.close();
                } catch (SQLException ignored) {
                    // the transaction is rolled back anyway
                }
                appender = null;
            }
        }
    }
}
