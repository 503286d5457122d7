package io.inlet.demo;

import io.inlet.cli.TablePrinter;
import io.inlet.job.JobManager;
import io.inlet.job.JobState;
import io.inlet.job.RoutineLoadJob;
import io.inlet.job.SqlResult;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sql.JobRef;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code inlet demo}: seed 001's Confluent {@code users} data and its CREATE ROUTINE LOAD, run
 * against a real Kafka broker in this process and an embedded DuckDB file.
 */
public final class Demo {

    /** Seed 001's statement, with the local broker and without the SASL properties. */
    static final String STATEMENT = """
            CREATE ROUTINE LOAD mydatabase.tutorials_users_test2 ON myusers2
            COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))
            PROPERTIES (
                'format' ='json',
                'jsonpaths' = '["$.userid","$.regionid","$.gender", "$.registertime"]'
            )
            FROM KAFKA (
                'kafka_broker_list' = '%s',
                'kafka_topic' = 'users',
                'property.kafka_default_offsets' = 'OFFSET_BEGINNING'
            )""";

    static final String TABLE = """
            CREATE TABLE myusers2 (
                userid VARCHAR(50),
                regionid VARCHAR(50),
                gender VARCHAR(50),
                dt DATETIME
            )""";

    /** 2017-05-01 00:00:00 UTC: the week of seed 001's sample message. */
    private static final long WEEK_START_MILLIS = 1_493_596_800_000L;
    private static final String[] GENDERS = {"MALE", "FEMALE", "OTHER"};

    private final PrintStream out;
    private final long rows;
    private final Path dir;

    public Demo(PrintStream out, long rows, Path dir) {
        this.out = out;
        this.rows = rows;
        this.dir = dir;
    }

    public boolean run() throws Exception {
        Files.createDirectories(dir);
        Path db = dir.resolve("demo.duckdb");
        Files.deleteIfExists(db);
        Files.deleteIfExists(dir.resolve("demo.duckdb.wal"));
        out.println("Starting an Apache Kafka broker (KRaft) on loopback...");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopic("users", 3);
            out.printf("Producing %,d messages to topic 'users' (3 partitions) at %s%n", rows, broker.bootstrapServers());
            produce(broker.bootstrapServers());
            try (DuckDbWarehouse warehouse = new DuckDbWarehouse("jdbc:duckdb:" + db.toAbsolutePath())) {
                try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
                    s.execute(TABLE);
                }
                out.println("Created table myusers2 in " + db);
                String statement = STATEMENT.formatted(broker.bootstrapServers());
                out.println();
                out.println(statement + ";");
                out.println();
                try (JobManager jobs = new JobManager(warehouse, "main", Clock.systemDefaultZone(), 8)) {
                    jobs.execute(statement);
                    RoutineLoadJob job = jobs.find(new JobRef("mydatabase", "tutorials_users_test2")).orElseThrow();
                    boolean complete = await(job);
                    out.println();
                    out.println("mysql> SHOW ROUTINE LOAD FOR mydatabase.tutorials_users_test2\\G");
                    SqlResult show = jobs.execute("SHOW ROUTINE LOAD FOR mydatabase.tutorials_users_test2");
                    TablePrinter.vertical(out, show.columns(), show.rows());
                    out.println();
                    String query = "SELECT gender, CAST(dt AS DATE) AS day, count(*) AS users FROM myusers2"
                            + " GROUP BY gender, day ORDER BY day, gender";
                    out.println("mysql> " + query + ";");
                    query(warehouse, query);
                    if (!complete) {
                        out.println("The job did not load every message: " + job.record().reason());
                    }
                    return complete;
                }
            }
        }
    }

    private void produce(String bootstrap) throws Exception {
        SplittableRandom random = new SplittableRandom(1493987388929L);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (long i = 0; i < rows; i++) {
                producer.send(new ProducerRecord<>("users", usersMessage(random)));
            }
            producer.flush();
        }
    }

    /** A message shaped like Confluent's {@code users} sample data (seed 001). */
    public static byte[] usersMessage(SplittableRandom random) {
        long registertime = WEEK_START_MILLIS + random.nextLong(7L * 24 * 3600 * 1000);
        String json = "{\"registertime\":" + registertime + ",\"userid\":\"User_" + (1 + random.nextInt(9))
                + "\",\"regionid\":\"Region_" + (1 + random.nextInt(9)) + "\",\"gender\":\""
                + GENDERS[random.nextInt(GENDERS.length)] + "\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private boolean await(RoutineLoadJob job) throws InterruptedException {
        PrintStreamProgress progress = new PrintStreamProgress(out, rows);
        while (true) {
            long done = job.statistics().totalRows();
            progress.update(done, job.uncommittedMessages(), job.state().name());
            if (done >= rows) {
                progress.finish();
                return true;
            }
            if (job.state() == JobState.PAUSED || job.state().isFinal()) {
                progress.finish();
                return false;
            }
            Thread.sleep(100);
        }
    }

    private void query(DuckDbWarehouse warehouse, String sql) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                columns.add(md.getColumnLabel(i));
            }
            List<List<String>> result = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(String.valueOf(rs.getObject(i)));
                }
                result.add(row);
            }
            TablePrinter.table(out, columns, result);
        }
    }
}
