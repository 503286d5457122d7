package io.inlet.job;

import io.inlet.catalog.KafkaCoordination;
import io.inlet.config.RuntimeConfig;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.source.kinesis.KinesisEmulator;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two runtimes on one PostgreSQL warehouse share a FROM KINESIS job's four shards through the job's consumer group on
 * the coordination cluster (an in-process broker): two shards each, none on both, each record once; when one stops
 * (as on SIGTERM), the other takes all four and loads on, each record once.
 */
class KinesisReplicasTest {

    private static final List<String> SHARDS = List.of("shardId-000000000000", "shardId-000000000001",
            "shardId-000000000002", "shardId-000000000003");
    static EmbeddedKafkaBroker broker;
    static EmbeddedPostgres pg;
    static KinesisEmulator moto;
    static KinesisClient kinesis;
    final List<JobManager> replicas = new ArrayList<>();
    final List<PostgresWarehouse> warehouses = new ArrayList<>();
    final List<KafkaCoordination> clusters = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start();
        pg = EmbeddedPostgres.start();
        moto = KinesisEmulator.startMoto();
        kinesis = moto.kinesis();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kinesis != null) {
            kinesis.close();
        }
        if (moto != null) {
            moto.close();
        }
        broker.close();
        pg.close();
    }

    @AfterEach
    void closeReplicas() {
        replicas.forEach(JobManager::close);
        warehouses.forEach(PostgresWarehouse::close);
        clusters.forEach(KafkaCoordination::close);
    }

    /** A runtime as {@code inlet run} makes one, with {@code catalog.kafka.*} naming the broker. */
    JobManager replica(String name) throws Exception {
        RuntimeConfig config = RuntimeConfig.of(Map.of("warehouse.url", pg.jdbcUrl(),
                "catalog.kafka.bootstrap-servers", broker.bootstrapServers(),
                "catalog.kafka.topic", "_inlet_coordination"));
        KafkaCoordination cluster = KafkaCoordination.from(config).orElseThrow();
        clusters.add(cluster);
        PostgresWarehouse w = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
        warehouses.add(w);
        JobManager m = new JobManager(w, "public", Clock.systemUTC(), 8, name)
                .autoResumeBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .coordination(cluster)
                .followCatalog(Duration.ofMillis(200));
        replicas.add(m);
        return m;
    }

    @Test
    void twoReplicasShareFourShardsAndOneThatStopsHandsThemToTheOther() throws Exception {
        String stream = "replicas-stock";
        KinesisEmulator.createStream(kinesis, stream, 4);
        sql("CREATE TABLE stock_replicas (EVENT_TIME TIMESTAMP NOT NULL, TICKER VARCHAR(64) NOT NULL, PRICE REAL)");
        put(stream, 0, 400);
        JobManager a = replica("replica-a");
        JobManager b = replica("replica-b");
        a.execute("CREATE ROUTINE LOAD stock_replicas_job ON stock_replicas"
                + " PROPERTIES ('format' = 'json', 'max_batch_interval' = '1', 'desired_concurrent_number' = '4')"
                + " FROM KINESIS ('aws.region' = 'us-east-1', 'kinesis_stream' = '" + stream + "',"
                + " 'aws.endpoint' = '" + moto.endpoint() + "', 'aws.access_key' = 'testing',"
                + " 'aws.secret_key' = 'testing-secret', 'property.kinesis_default_pos' = 'TRIM_HORIZON')");

        // (1) both run: two shards each, none on both
        Await.until(Duration.ofSeconds(90), () -> shardsOn(a).size() == 2 && shardsOn(b).size() == 2,
                () -> "each replica to load two shards: a " + shardsOn(a) + ", b " + shardsOn(b));
        Set<String> both = new TreeSet<>(shardsOn(a));
        both.addAll(shardsOn(b));
        assertThat(both).containsExactlyElementsOf(SHARDS);
        assertThat(shownTasks(a)).singleElement().satisfies(row -> {
            assertThat(row.get(JobViews.TASK_COLUMNS.indexOf("BeId"))).isEqualTo("replica-a");
            assertThat(shardsIn(row)).isEqualTo(shardsOn(a));
        });
        assertThat(shownTasks(b)).singleElement().satisfies(row -> {
            assertThat(row.get(JobViews.TASK_COLUMNS.indexOf("BeId"))).isEqualTo("replica-b");
            assertThat(shardsIn(row)).isEqualTo(shardsOn(b));
        });
        awaitRows(400);
        put(stream, 400, 400);
        awaitRows(800);
        assertEachOnce(800);
        assertThat(shardsOn(a).size() + shardsOn(b).size()).as("no rebalance moved shards meanwhile").isEqualTo(4);

        // (2) replica a stops as on SIGTERM: its member leaves the group, b takes every shard at once
        a.close();
        Await.until(Duration.ofSeconds(60), () -> shardsOn(b).equals(new TreeSet<>(SHARDS)),
                () -> "replica b to load all four shards: " + shardsOn(b));
        put(stream, 800, 400);
        awaitRows(1200);
        assertEachOnce(1200);
        assertThat(job(b).state()).isEqualTo(JobState.RUNNING);
    }

    // ------------------------------------------------------------------------------------------------ support

    static RoutineLoadJob job(JobManager m) {
        return m.find(new JobRef("public", "stock_replicas_job")).orElseThrow();
    }

    /** The shards of the replica's own task(s), as its task views show them. */
    static Set<String> shardsOn(JobManager m) {
        Set<String> out = new TreeSet<>();
        m.find(new JobRef("public", "stock_replicas_job"))
                .ifPresent(j -> j.tasks().forEach(t -> out.addAll(t.shardPositions().keySet())));
        return out;
    }

    static List<List<String>> shownTasks(JobManager m) throws Exception {
        return m.execute("SHOW ROUTINE LOAD TASK WHERE JobName = \"stock_replicas_job\"").rows();
    }

    static Set<String> shardsIn(List<String> taskRow) {
        Set<String> out = new TreeSet<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("\"(shardId-\\d+)\"")
                .matcher(taskRow.get(JobViews.TASK_COLUMNS.indexOf("DataSourceProperties")));
        while (matcher.find()) {
            out.add(matcher.group(1));
        }
        return out;
    }

    /** Records {@code from} to {@code from + n - 1}: ticker Ti, unique, spread over the shards by partition key. */
    static void put(String stream, int from, int n) {
        for (int i = from; i < from + n; i++) {
            String data = "{\"event_time\": \"2026-01-01 00:00:00\", \"ticker\": \"T" + i + "\", \"price\": "
                    + (i + 0.5) + "}";
            int key = i;
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("ticker-" + key)
                    .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
        }
    }

    void awaitRows(long rows) {
        Await.until(Duration.ofSeconds(120), () -> scalar("SELECT count(*) FROM stock_replicas") >= rows,
                () -> rows + " rows in stock_replicas; there are " + safeScalar("SELECT count(*) FROM stock_replicas"));
    }

    void assertEachOnce(long rows) throws Exception {
        assertThat(scalar("SELECT count(*) FROM stock_replicas")).isEqualTo(rows);
        assertThat(scalar("SELECT count(DISTINCT TICKER) FROM stock_replicas")).isEqualTo(rows);
    }

    void sql(String statement) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    long scalar(String query) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    long safeScalar(String query) {
        try {
            return scalar(query);
        } catch (Exception e) {
            return -1;
        }
    }
}
