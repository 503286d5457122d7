package io.inlet.bench;

import io.inlet.expr.EvalContext;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import io.inlet.format.avro.AvroSchemaSource;
import io.inlet.sink.ColumnDef;
import io.inlet.sink.TableSchema;
import io.inlet.expr.SqlType;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.SqlParser;
import io.inlet.transform.RowMapper;
import org.apache.avro.Schema;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Single-thread CPU cost per row of decoding, and of decoding and mapping, the benchmark's {@code users} rows as
 * JSON and as Avro (Confluent's wire format, the schema known, no registry), without Kafka or a sink; thread CPU
 * time, so other load on the machine disturbs it little. Prints one line per round.
 */
public final class AvroDecodeCost {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int N = 500_000;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        byte[][] json = new byte[N][];
        byte[][] avro = new byte[N][];
        SplittableRandom r1 = new SplittableRandom(42);
        SplittableRandom r2 = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            json[i] = LoadBenchmark.message(r1);
            avro[i] = LoadBenchmark.avroMessage(1, r2);
        }
        TableSchema table = new TableSchema("main", "users_bench", List.of(new ColumnDef("userid", SqlType.varchar(50), true),
                new ColumnDef("regionid", SqlType.varchar(50), true), new ColumnDef("gender", SqlType.varchar(50), true),
                new ColumnDef("city", SqlType.varchar(50), true), new ColumnDef("score", SqlType.DOUBLE, true),
                new ColumnDef("dt", SqlType.DATETIME, true)));
        AvroSchemaSource schemas = new AvroSchemaSource() {
            @Override
            public Schema writer(int id) {
                return LoadBenchmark.AVRO_SCHEMA;
            }

            @Override
            public Schema reader(boolean refresh) {
                return LoadBenchmark.AVRO_SCHEMA;
            }
        };
        CreateRoutineLoad jsonJob = (CreateRoutineLoad) SqlParser.parse(
                LoadBenchmark.statement("j", "users_bench", "bench", "127.0.0.1:9"));
        CreateRoutineLoad avroJob = (CreateRoutineLoad) SqlParser.parse(
                LoadBenchmark.statement("a", "users_bench", "bench", "127.0.0.1:9", "http://127.0.0.1:9"));
        RowMapper mapper = RowMapper.compile(jsonJob.load(), table, new EvalContext(ZoneOffset.UTC, Clock.systemUTC()), false);
        Decoder jsonDecoder = Decoders.create(new DecoderSpec("json", mapper.sourceColumns(), jsonJob.properties().jsonPaths(),
                null, false, null, null, null, null, false));
        Decoder avroDecoder = Decoders.create(new DecoderSpec("avro", mapper.sourceColumns(), avroJob.properties().jsonPaths(),
                null, false, null, null, null, null, false, ZoneOffset.UTC, schemas));
        Object[] target = new Object[table.columns().size()];
        for (int round = 0; round < rounds; round++) {
            double jd = perRow(() -> run(jsonDecoder, json, null, target));
            double jm = perRow(() -> run(jsonDecoder, json, mapper, target));
            double ad = perRow(() -> run(avroDecoder, avro, null, target));
            double am = perRow(() -> run(avroDecoder, avro, mapper, target));
            System.out.printf("round %d: JSON decode %.3f µs/row, +map %.3f; Avro decode %.3f µs/row, +map %.3f"
                    + " (Avro/JSON decode+map %.2f ×)%n", round, jd, jm, ad, am, am / jm);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static void run(Decoder d, byte[][] messages, RowMapper mapper, Object[] target) throws Exception {
        for (byte[] m : messages) {
            d.decode(m, row -> {
                if (mapper != null) {
                    mapper.map(row, target);
                }
            });
        }
    }

    private static double perRow(Work w) throws Exception {
        long t0 = THREADS.getCurrentThreadCpuTime();
        w.run();
        return (THREADS.getCurrentThreadCpuTime() - t0) / 1e3 / N;
    }
}
