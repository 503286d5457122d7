package io.inlet.bench;

import io.inlet.expr.EvalContext;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.TableSchema;
import io.inlet.sink.jdbc.JdbcWarehouse;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.SqlParser;
import io.inlet.testkit.EmbeddedPostgres;
import io.inlet.transform.RowMapper;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Single-thread CPU cost per row of each stage of Inlet's per-row path, without Kafka: decode,
 * decode + map, and decode + map + append (with the commit) into DuckDB and into PostgreSQL, for
 * which the CPU of its server processes is shown too; and the bytes allocated per row (garbage the
 * collector must then clear). Thread CPU time, so other load on the
 * machine disturbs it little. For finding hot spots, not a benchmark of record.
 */
public final class StageCosts {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int N = 500_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        SplittableRandom r = new SplittableRandom(42);
        byte[][] messages = new byte[N][];
        for (int i = 0; i < N; i++) {
            messages[i] = LoadBenchmark.message(r);
        }
        CreateRoutineLoad st = (CreateRoutineLoad) SqlParser.parse(
                LoadBenchmark.statement("bench_job", "users_bench", "bench", "127.0.0.1:9"));
        Path dir = Files.createTempDirectory("inlet-stages");
        String duckUrl = "jdbc:duckdb:" + dir.resolve("s.duckdb");
        LoadBenchmark.createTable(DriverManager.getConnection(duckUrl));
        try (EmbeddedPostgres pg = EmbeddedPostgres.start();
             DuckDbWarehouse duck = new DuckDbWarehouse(duckUrl)) {
            pg.execute(LoadBenchmark.TABLE_DDL);
            long postmaster = postmasterPid(pg);
            try (PostgresWarehouse postgres = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "")) {
                Stage duckStage = new Stage(duck);
                Stage pgStage = new Stage(postgres);
                RowMapper mapper = RowMapper.compile(st.load(), duckStage.table, new EvalContext(ZoneId.of("UTC"),
                        Clock.systemUTC()), false);
                Decoder decoder = Decoders.create(new DecoderSpec("json", mapper.sourceColumns(),
                        st.properties().jsonPaths(), null, false, null, null, null, null, false));
                Object[] target = new Object[duckStage.table.columns().size()];
                for (int round = 0; round < rounds; round++) {
                    long t0 = cpu();
                    long a0 = allocated();
                    long[] count = {0};
                    for (byte[] m : messages) {
                        decoder.decode(m, row -> count[0]++);
                    }
                    long t1 = cpu();
                    long a1 = allocated();
                    for (byte[] m : messages) {
                        decoder.decode(m, row -> mapper.map(row, target));
                    }
                    long t2 = cpu();
                    long a2 = allocated();
                    duckStage.load(messages, decoder, mapper, target);
                    long t3 = cpu();
                    long a3 = allocated();
                    double serverBefore = postgresServerSeconds(postmaster);
                    pgStage.load(messages, decoder, mapper, target);
                    long t4 = cpu();
                    long a4 = allocated();
                    Thread.sleep(200); // the backend of the closed session ends and is reaped
                    double server = postgresServerSeconds(postmaster) - serverBefore;
                    System.out.printf("round %d: decode %.3f µs/row (%d B/row), +map %.3f (%d), +DuckDB append %.3f (%d),"
                                    + " +PostgreSQL COPY %.3f (%d; server processes %.3f)%n", round,
                            perRow(t1 - t0), (a1 - a0) / N, perRow(t2 - t1), (a2 - a1) / N, perRow(t3 - t2),
                            (a3 - a2) / N, perRow(t4 - t3), (a4 - a3) / N, server * 1e6 / N);
                }
            }
        }
        LoadBenchmark.delete(dir);
    }

    /** One sink, with a session per round. */
    private static final class Stage {
        final JdbcWarehouse warehouse;
        final TableSchema table;
        final long generation;

        Stage(JdbcWarehouse warehouse) throws Exception {
            this.warehouse = warehouse;
            this.table = warehouse.describe(null, "users_bench");
            warehouse.catalog().insert(new io.inlet.job.JobRecord(1, "b", "b", "-", io.inlet.job.JobState.RUNNING, "",
                    java.time.Instant.now(), null, null));
            this.generation = warehouse.claim(1, List.of("0"));
        }

        void load(byte[][] messages, Decoder decoder, RowMapper mapper, Object[] target) throws Exception {
            try (LoadSession s = warehouse.openSession(1, generation, table)) {
                s.begin(Map.of());
                for (byte[] m : messages) {
                    decoder.decode(m, row -> {
                        mapper.map(row, target);
                        try {
                            s.append(target);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                s.commit(List.of(new PartitionCommit("0", "1", N, N, 0, 0, 0)));
            }
        }
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private static double perRow(long nanos) {
        return nanos / 1e3 / N;
    }

    /**
     * CPU seconds of a PostgreSQL cluster so far: its postmaster, its live children, and the
     * children that ended (which the postmaster reaped, so they count in its children's time).
     */
    static double postgresServerSeconds(long postmaster) throws Exception {
        long[] own = ticks(Path.of("/proc/" + postmaster));
        long total = own[0] + own[1];
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (Files.readAllLines(p.resolve("status")).contains("PPid:\t" + postmaster)) {
                        total += ticks(p)[0];
                    }
                } catch (java.io.IOException exited) {
                    // the process ended meanwhile
                }
            }
        }
        return total / 100.0;
    }

    /** {own user + system ticks, reaped children's user + system ticks} of a process. */
    private static long[] ticks(Path proc) throws java.io.IOException {
        String stat = Files.readString(proc.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
    }

    static long postmasterPid(EmbeddedPostgres pg) throws Exception {
        try (var c = pg.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")) {
            rs.next();
            for (String line : Files.readAllLines(Path.of("/proc/" + rs.getInt(1) + "/status"))) {
                if (line.startsWith("PPid:")) {
                    return Long.parseLong(line.substring(5).trim());
                }
            }
        }
        throw new IllegalStateException("no postmaster found");
    }
}
