package io.inlet.bench;

import io.inlet.expr.EvalContext;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.TableSchema;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.SqlParser;
import io.inlet.transform.RowMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Single-thread CPU cost of each stage of Inlet's per-row path, without Kafka: decode, decode +
 * map, decode + map + DuckDB append. Prints µs per row after warm-up. For finding hot spots, not
 * a benchmark of record.
 */
public final class StageCosts {

    public static void main(String[] args) throws Exception {
        int n = 500_000;
        SplittableRandom r = new SplittableRandom(42);
        byte[][] messages = new byte[n][];
        for (int i = 0; i < n; i++) {
            messages[i] = LoadBenchmark.message(r);
        }
        CreateRoutineLoad st = (CreateRoutineLoad) SqlParser.parse(
                LoadBenchmark.statement("bench_job", "users_bench", "bench", "127.0.0.1:9"));
        Path dir = Files.createTempDirectory("inlet-stages");
        String url = "jdbc:duckdb:" + dir.resolve("s.duckdb");
        LoadBenchmark.createTable(DriverManager.getConnection(url));
        try (DuckDbWarehouse w = new DuckDbWarehouse(url)) {
            TableSchema table = w.describe(null, "users_bench");
            RowMapper mapper = RowMapper.compile(st.load(), table, new EvalContext(java.time.ZoneId.of("UTC"),
                    Clock.systemUTC()), false);
            Decoder decoder = Decoders.create(new DecoderSpec("json", mapper.sourceColumns(), st.properties().jsonPaths(),
                    null, false, null, null, null, null, false));
            w.catalog().insert(new io.inlet.job.JobRecord(1, "b", "b", "-", io.inlet.job.JobState.RUNNING, "",
                    java.time.Instant.now(), null, null));
            long gen = w.claim(1, List.of("0"));
            Object[] target = new Object[table.columns().size()];
            for (int round = 0; round < 4; round++) {
                long t0 = System.nanoTime();
                long[] count = {0};
                for (byte[] m : messages) {
                    decoder.decode(m, row -> count[0]++);
                }
                long t1 = System.nanoTime();
                for (byte[] m : messages) {
                    decoder.decode(m, row -> mapper.map(row, target));
                }
                long t2 = System.nanoTime();
                try (LoadSession s = w.openSession(1, gen, table)) {
                    s.begin(java.util.Map.of());
                    for (byte[] m : messages) {
                        decoder.decode(m, row -> {
                            mapper.map(row, target);
                            try {
                                s.append(target);
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
                    }
                    s.commit(List.of(new PartitionCommit("0", "1", n, n, 0, 0, 0)));
                }
                long t3 = System.nanoTime();
                int threads = 3;
                Thread[] ts = new Thread[threads];
                for (int k = 0; k < threads; k++) {
                    int part = k;
                    ts[k] = new Thread(() -> {
                        RowMapper m2 = RowMapper.compile(st.load(), table, new EvalContext(java.time.ZoneId.of("UTC"),
                                Clock.systemUTC()), false);
                        Decoder d2 = Decoders.create(new DecoderSpec("json", m2.sourceColumns(), st.properties().jsonPaths(),
                                null, false, null, null, null, null, false));
                        Object[] t2row = new Object[table.columns().size()];
                        try (LoadSession s = w.openSession(1, gen, table)) {
                            s.begin(java.util.Map.of());
                            for (int i = part; i < n; i += threads) {
                                d2.decode(messages[i], row -> {
                                    m2.map(row, t2row);
                                    try {
                                        s.append(t2row);
                                    } catch (Exception e) {
                                        throw new RuntimeException(e);
                                    }
                                });
                            }
                            s.commit(List.of());
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    ts[k].start();
                }
                for (Thread t : ts) {
                    t.join();
                }
                long t4 = System.nanoTime();
                System.out.printf("round %d: decode %.2f µs/row, +map %.2f, +append %.2f; 3 threads: %.2f µs/row wall%n", round,
                        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n, (t4 - t3) / 1e3 / n);
            }
        }
    }
}
