package io.inlet.bench;

import io.inlet.expr.EvalContext;
import io.inlet.format.Decoder;
import io.inlet.format.DecoderSpec;
import io.inlet.format.Decoders;
import io.inlet.job.JobRecord;
import io.inlet.job.JobState;
import io.inlet.sink.LoadSession;
import io.inlet.sink.PartitionCommit;
import io.inlet.sink.TableSchema;
import io.inlet.sink.jdbc.JdbcWarehouse;
import io.inlet.sink.jdbc.Warehouses;
import io.inlet.sql.CreateRoutineLoad;
import io.inlet.sql.SqlParser;
import io.inlet.transform.RowMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Inlet's stages alone, for the benchmark's ceiling of a JDBC sink on this machine: one thread and
 * consumer per partition that polls, decodes and maps each message with Inlet's decoder and
 * mapper and appends the row through Inlet's bulk session (DuckDB Appender, PostgreSQL binary
 * COPY), committing every 100,000 rows. No prefetching thread, no job, no error accounting, no
 * statistics, no consumer group: what the stages cost next to the broker and the database.
 *
 * <p>Runs in its own JVM with the service's heap and collector:
 * {@code BarePipeline BOOTSTRAP JDBC_URL USER TOPIC:TABLE...} (password in
 * {@code INLET_WAREHOUSE_PASSWORD}): reads each topic from its beginning into its table in turn
 * (the first a warm-up) and prints {@code pass TOPIC ROWS SECONDS} for each.
 */
public final class BarePipeline {

    private static final int PARTITIONS = 3;
    private static final int COMMIT_ROWS = 100_000;

    private BarePipeline() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String password = System.getenv().getOrDefault("INLET_WAREHOUSE_PASSWORD", "");
        try (JdbcWarehouse warehouse = (JdbcWarehouse) Warehouses.open(args[1], args[2], password)) {
            warehouse.catalog().insert(new JobRecord(1, "bare", "bare", "-", JobState.RUNNING, "", Instant.now(),
                    null, null));
            List<String> partitions = List.of("0", "1", "2");
            long generation = warehouse.claim(1, partitions);
            for (int a = 3; a < args.length; a++) {
                String[] topicTable = args[a].split(":");
                long start = System.nanoTime();
                long rows = pass(bootstrap, topicTable[0], warehouse, generation, warehouse.describe(null, topicTable[1]));
                System.out.printf("pass %s %d %.4f%n", topicTable[0], rows, (System.nanoTime() - start) / 1e9);
                System.out.flush();
            }
        }
    }

    private static long pass(String bootstrap, String topic, JdbcWarehouse warehouse, long generation,
                             TableSchema table) throws Exception {
        CreateRoutineLoad statement = (CreateRoutineLoad) SqlParser.parse(
                LoadBenchmark.statement("bare", table.table(), topic, bootstrap));
        return PartitionThreads.sum(PARTITIONS, "bare-" + topic, partition -> load(bootstrap,
                new TopicPartition(topic, partition), statement, warehouse, generation, table));
    }

    private static long load(String bootstrap, TopicPartition tp, CreateRoutineLoad statement,
                             JdbcWarehouse warehouse, long generation, TableSchema table) throws Exception {
        RowMapper mapper = RowMapper.compile(statement.load(), table,
                new EvalContext(ZoneId.of("UTC"), Clock.systemUTC()), false);
        Decoder decoder = Decoders.create(new DecoderSpec("json", mapper.sourceColumns(),
                statement.properties().jsonPaths(), null, false, null, null, null, null, false));
        Object[] target = new Object[table.columns().size()];
        String partition = String.valueOf(tp.partition());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             LoadSession session = warehouse.openSession(1, generation, table)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long next = 0;
            long loaded = 0;
            long inBatch = 0;
            session.begin(Map.of(partition, "0"));
            while (next < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    decoder.decode(r.value(), row -> {
                        if (mapper.map(row, target) == RowMapper.Outcome.LOADED) {
                            try {
                                session.append(target);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    });
                    next = r.offset() + 1;
                    inBatch++;
                }
                if (inBatch >= COMMIT_ROWS || (next >= end && inBatch > 0)) {
                    session.commit(List.of(new PartitionCommit(partition, String.valueOf(next), inBatch, inBatch, 0, 0,
                            0)));
                    loaded += inBatch;
                    inBatch = 0;
                    if (next < end) {
                        session.begin(Map.of(partition, String.valueOf(next)));
                    }
                }
            }
            return loaded;
        }
    }
}
