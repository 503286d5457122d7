package io.inlet.bench;

import io.inlet.sink.TableSchema;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sink.jdbc.JdbcWarehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.testkit.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the paths a table's columns choose cost on the bulk path alone ({@link LoadBenchmark#sinkOnly}): the
 * benchmark's rows into {@code users_bench} as it is, and into the same table with a column that makes the
 * session take another path: a defaulted column the job leaves out (DuckDB: the staging table and
 * INSERT ... SELECT; PostgreSQL: COPY without it, the server filling the default), and an {@code interval}
 * column (PostgreSQL: COPY in text form). Rounds alternate the paths; prints each one's median rate.
 *
 * <p>{@code bench/run columns [ROWS] [ROUNDS]}, default 1,000,000 rows and 3 rounds.
 */
public final class ColumnPathBenchmark {

    private ColumnPathBenchmark() {}

    /** One path: a table, the columns its sessions write, and the rows for them. */
    record LoadPath(String name, JdbcWarehouse warehouse, TableSchema table, Object[][] rows) {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Object[][] rows = LoadBenchmark.rows(n);
        Object[][] rowsWithNull = Arrays.stream(rows).map(r -> Arrays.copyOf(r, r.length + 1)).toArray(Object[][]::new);
        Path work = Files.createTempDirectory("inlet-bench-columns-");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            String duckUrl = "jdbc:duckdb:" + work.resolve("columns.duckdb");
            String pgUrl = pg.jdbcUrl();
            try (DuckDbWarehouse duck = new DuckDbWarehouse(duckUrl);
                 PostgresWarehouse post = new PostgresWarehouse(pgUrl, EmbeddedPostgres.USER, "")) {
                try (Connection c = duck.connect()) {
                    ddl(c, "TIMESTAMP DEFAULT current_timestamp", "INTERVAL");
                }
                try (Connection c = DriverManager.getConnection(pgUrl, EmbeddedPostgres.USER, "")) {
                    ddl(c, "timestamptz DEFAULT now()", "interval");
                }
                List<LoadPath> paths = new ArrayList<>();
                paths.add(new LoadPath("DuckDB Appender", duck, duck.describe(null, "users_bench"), rows));
                paths.add(new LoadPath("DuckDB staged (defaulted column left out)", duck, leaveOutLast(duck.describe(null, "users_defaulted")), rows));
                paths.add(new LoadPath("DuckDB staged (INTERVAL column)", duck, duck.describe(null, "users_interval"), rowsWithNull));
                paths.add(new LoadPath("PostgreSQL binary COPY", post, post.describe(null, "users_bench"), rows));
                paths.add(new LoadPath("PostgreSQL binary COPY (defaulted column left out)", post, leaveOutLast(post.describe(null, "users_defaulted")), rows));
                paths.add(new LoadPath("PostgreSQL text COPY (interval column)", post, post.describe(null, "users_interval"), rowsWithNull));
                Map<String, List<Double>> rates = new LinkedHashMap<>();
                long jobId = 1;
                for (LoadPath p : paths) { // warm-up
                    LoadBenchmark.sinkOnly(p.name(), p.warehouse(), jobId++, Arrays.copyOf(p.rows(), Math.min(n, 200_000)), 0, p.table());
                }
                for (int round = 0; round < rounds; round++) {
                    for (LoadPath p : paths) {
                        LoadBenchmark.Result r = LoadBenchmark.sinkOnly(p.name(), p.warehouse(), jobId++, p.rows(), 0, p.table());
                        rates.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(r.rowsPerSecond());
                        System.err.printf("round %d  %-52s %,12.0f rows/s%n", round + 1, p.name(), r.rowsPerSecond());
                    }
                }
                System.out.printf("%n%-52s %14s%n", "path (" + n + " rows, median of " + rounds + ")", "rows/s");
                rates.forEach((name, list) -> System.out.printf("%-52s %,14.0f%n", name,
                        list.stream().sorted().toList().get(list.size() / 2)));
            }
        } finally {
            LoadBenchmark.delete(work);
        }
    }

    private static void ddl(Connection c, String defaulted, String interval) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(LoadBenchmark.TABLE_DDL);
            s.execute(withColumn("users_defaulted", "loaded_at " + defaulted));
            s.execute(withColumn("users_interval", "pause " + interval));
        }
    }

    /** The benchmark's table as {@code name}, with one more column at the end. */
    private static String withColumn(String name, String column) {
        String ddl = LoadBenchmark.TABLE_DDL.replace("users_bench", name);
        return ddl.substring(0, ddl.lastIndexOf(')')) + ", " + column + ")";
    }

    /** The table as a job with COLUMNS that leaves its last column out writes it. */
    private static TableSchema leaveOutLast(TableSchema t) {
        return t.withColumns(t.columns().subList(0, t.columns().size() - 1));
    }
}
