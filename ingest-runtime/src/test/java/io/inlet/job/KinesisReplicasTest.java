package io.inlet.job;

import io.inlet.catalog.KafkaCoordination;
import io.inlet.config.RuntimeConfig;
import io.inlet.crash.RuntimeProcess;
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
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * (as on SIGTERM), or is killed with SIGKILL, the other takes all four and loads on, each record once; a split moves
 * the parent and its children to one replica.
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

    private static final String JOB = "stock_replicas_job";
    private static final String TABLE = "stock_replicas";

    @Test
    void twoReplicasShareFourShardsAndOneThatStopsHandsThemToTheOther() throws Exception {
        String stream = "replicas-stock";
        KinesisEmulator.createStream(kinesis, stream, 4);
        sql("CREATE TABLE stock_replicas (EVENT_TIME TIMESTAMP NOT NULL, TICKER VARCHAR(64) NOT NULL, PRICE REAL)");
        put(kinesis, stream, 0, 400);
        JobManager a = replica("replica-a");
        JobManager b = replica("replica-b");
        createJob(a, JOB, TABLE, stream, moto);

        // (1) both run: two shards each, none on both
        Await.until(Duration.ofSeconds(90), () -> shardsOn(a, JOB).size() == 2 && shardsOn(b, JOB).size() == 2,
                () -> "each replica to load two shards: a " + shardsOn(a, JOB) + ", b " + shardsOn(b, JOB));
        Set<String> both = new TreeSet<>(shardsOn(a, JOB));
        both.addAll(shardsOn(b, JOB));
        assertThat(both).containsExactlyElementsOf(SHARDS);
        assertThat(shownTasks(a, JOB)).singleElement().satisfies(row -> {
            assertThat(row.get(JobViews.TASK_COLUMNS.indexOf("BeId"))).isEqualTo("replica-a");
            assertThat(shardsIn(row)).isEqualTo(shardsOn(a, JOB));
        });
        assertThat(shownTasks(b, JOB)).singleElement().satisfies(row -> {
            assertThat(row.get(JobViews.TASK_COLUMNS.indexOf("BeId"))).isEqualTo("replica-b");
            assertThat(shardsIn(row)).isEqualTo(shardsOn(b, JOB));
        });
        awaitRows(TABLE, 400);
        put(kinesis, stream, 400, 400);
        awaitRows(TABLE, 800);
        assertEachOnce(TABLE, 800);
        assertThat(shardsOn(a, JOB).size() + shardsOn(b, JOB).size()).as("no rebalance moved shards meanwhile").isEqualTo(4);

        // (2) replica a stops as on SIGTERM: its member leaves the group, b takes every shard at once
        a.close();
        Await.until(Duration.ofSeconds(60), () -> shardsOn(b, JOB).equals(new TreeSet<>(SHARDS)),
                () -> "replica b to load all four shards: " + shardsOn(b, JOB));
        put(kinesis, stream, 800, 400);
        awaitRows(TABLE, 1200);
        assertEachOnce(TABLE, 1200);
        assertThat(job(b, JOB).state()).isEqualTo(JobState.RUNNING);
        b.execute("STOP ROUTINE LOAD FOR " + JOB); // the next test's runtimes share the warehouse's catalog
    }

    /**
     * On kinesalite (which writes into the children after a split): the replica that loads the parent finds the
     * children, rejoins with them, and the group gives the parent and its children to one replica, which reads the
     * parent to its end first; every record once.
     */
    @Test
    void aSplitGivesTheParentAndItsChildrenToOneReplicaAndLosesNothing() throws Exception {
        try (KinesisEmulator kinesalite = KinesisEmulator.startKinesalite(); KinesisClient k = kinesalite.kinesis()) {
            String stream = "replicas-reshard";
            String job = "stock_reshard_replicas_job";
            String table = "stock_reshard_replicas";
            KinesisEmulator.createStream(k, stream, 2);
            sql("CREATE TABLE " + table + " (EVENT_TIME TIMESTAMP NOT NULL, TICKER VARCHAR(64) NOT NULL, PRICE REAL)");
            put(k, stream, 0, 200);
            JobManager a = replica("replica-a");
            JobManager b = replica("replica-b");
            createJob(a, job, table, stream, kinesalite);
            Await.until(Duration.ofSeconds(90), () -> shardsOn(a, job).size() == 1 && shardsOn(b, job).size() == 1,
                    () -> "each replica to load one shard: a " + shardsOn(a, job) + ", b " + shardsOn(b, job));
            awaitRows(table, 200);

            Shard parent = k.listShards(r -> r.streamName(stream)).shards().get(0);
            BigInteger lo = new BigInteger(parent.hashKeyRange().startingHashKey());
            BigInteger hi = new BigInteger(parent.hashKeyRange().endingHashKey());
            k.splitShard(r -> r.streamName(stream).shardToSplit(parent.shardId())
                    .newStartingHashKey(lo.add(hi).shiftRight(1).toString()));
            KinesisEmulator.awaitActive(k, stream);
            put(k, stream, 200, 300);
            awaitRows(table, 500);
            assertEachOnce(table, 500);

            List<String> family = new ArrayList<>(List.of(parent.shardId()));
            k.listShards(r -> r.streamName(stream)).shards().stream()
                    .filter(s -> parent.shardId().equals(s.parentShardId())).forEach(s -> family.add(s.shardId()));
            assertThat(family).hasSize(3);
            Await.until(Duration.ofSeconds(60), () -> shardsOn(a, job).size() + shardsOn(b, job).size() == 4
                            && (shardsOn(a, job).containsAll(family) || shardsOn(b, job).containsAll(family)),
                    () -> "the parent and its children on one replica: a " + shardsOn(a, job) + ", b "
                            + shardsOn(b, job));
            put(k, stream, 500, 100);
            awaitRows(table, 600);
            assertEachOnce(table, 600);
            a.execute("STOP ROUTINE LOAD FOR " + job); // before the emulator stops
            Await.until(Duration.ofSeconds(30), () -> job(b, job).state() == JobState.STOPPED,
                    () -> "replica b to follow the STOP; state " + job(b, job).state());
        }
    }

    /**
     * A replica in a JVM of its own ({@code inlet run}, its {@code catalog.kafka.*} naming the broker) shares the job
     * with an in-process one and is killed with SIGKILL, with records just put (a batch may be in flight): the
     * in-process replica takes its shards after the session timeout, and every record is loaded once.
     */
    @Test
    void aReplicaKilledWithSigkillHandsItsShardsOverAfterTheSessionTimeout(@TempDir Path dir) throws Exception {
        String stream = "replicas-kill";
        String job = "stock_kill_job";
        String table = "stock_kill";
        KinesisEmulator.createStream(kinesis, stream, 4);
        sql("CREATE TABLE " + table + " (EVENT_TIME TIMESTAMP NOT NULL, TICKER VARCHAR(64) NOT NULL, PRICE REAL)");
        put(kinesis, stream, 0, 400);
        JobManager b = replica("replica-b");
        createJob(b, job, table, stream, moto);
        Await.until(Duration.ofSeconds(90), () -> shardsOn(b, job).size() == 4,
                () -> "replica b to load every shard alone: " + shardsOn(b, job));
        Files.writeString(dir.resolve("inlet.yaml"), "warehouse:\n  url: " + pg.jdbcUrl() + "\n  user: inlet\n"
                + "api:\n  listen: 127.0.0.1:" + EmbeddedKafkaBroker.freePort() + "\n"
                + "catalog:\n  kafka:\n    bootstrap-servers: " + broker.bootstrapServers()
                + "\n    topic: _inlet_coordination\n");
        Process a = RuntimeProcess.start(dir, dir.resolve("inlet.yaml"), dir.resolve("replica-a.log"), Map.of(),
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Daws.cborEnabled=false"));
        try {
            Await.until(Duration.ofSeconds(120), () -> shardsOn(b, job).size() == 2,
                    () -> "the replica in its own JVM to take two shards: b has " + shardsOn(b, job) + "; alive "
                            + a.isAlive());
            put(kinesis, stream, 400, 400);
            awaitRows(table, 800);
            put(kinesis, stream, 800, 400);
            a.destroyForcibly(); // SIGKILL: its member does not leave the group
            assertThat(a.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Await.until(Duration.ofSeconds(90), () -> shardsOn(b, job).size() == 4,
                    () -> "replica b to take the killed replica's shards: " + shardsOn(b, job));
            put(kinesis, stream, 1200, 400);
            awaitRows(table, 1600);
            assertEachOnce(table, 1600);
        } finally {
            a.destroyForcibly();
            a.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        b.execute("STOP ROUTINE LOAD FOR " + job);
    }

    // ------------------------------------------------------------------------------------------------ support

    static RoutineLoadJob job(JobManager m, String job) {
        return m.findAny(new JobRef("public", job)).orElseThrow();
    }

    /** The shards of the replica's own task(s), as its task views show them. */
    static Set<String> shardsOn(JobManager m, String job) {
        Set<String> out = new TreeSet<>();
        m.find(new JobRef("public", job)).ifPresent(j -> j.tasks().forEach(t -> out.addAll(t.shardPositions().keySet())));
        return out;
    }

    static List<List<String>> shownTasks(JobManager m, String job) throws Exception {
        return m.execute("SHOW ROUTINE LOAD TASK WHERE JobName = \"" + job + "\"").rows();
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
    static void put(KinesisClient kinesis, String stream, int from, int n) {
        for (int i = from; i < from + n; i++) {
            String data = "{\"event_time\": \"2026-01-01 00:00:00\", \"ticker\": \"T" + i + "\", \"price\": "
                    + (i + 0.5) + "}";
            int key = i;
            kinesis.putRecord(b -> b.streamName(stream).partitionKey("ticker-" + key)
                    .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
        }
    }

    void awaitRows(String table, long rows) {
        Await.until(Duration.ofSeconds(120), () -> scalar("SELECT count(*) FROM " + table) >= rows,
                () -> rows + " rows in " + table + "; there are " + safeScalar("SELECT count(*) FROM " + table));
    }

    void assertEachOnce(String table, long rows) throws Exception {
        assertThat(scalar("SELECT count(*) FROM " + table)).isEqualTo(rows);
        assertThat(scalar("SELECT count(DISTINCT TICKER) FROM " + table)).isEqualTo(rows);
    }

    static String createJob(JobManager on, String job, String table, String stream, KinesisEmulator emulator)
            throws Exception {
        on.execute("CREATE ROUTINE LOAD " + job + " ON " + table
                + " PROPERTIES ('format' = 'json', 'max_batch_interval' = '1', 'desired_concurrent_number' = '4')"
                + " FROM KINESIS ('aws.region' = 'us-east-1', 'kinesis_stream' = '" + stream + "',"
                + " 'aws.endpoint' = '" + emulator.endpoint() + "', 'aws.access_key' = 'testing',"
                + " 'aws.secret_key' = 'testing-secret', 'property.kinesis_default_pos' = 'TRIM_HORIZON')");
        return job;
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
