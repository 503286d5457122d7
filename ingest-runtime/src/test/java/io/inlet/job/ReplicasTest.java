package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.GroupState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
 * Several runtimes on one PostgreSQL warehouse: each follows the catalog and joins each job's consumer group, whose
 * coordinator spreads the partitions between them; a runtime that leaves hands its partitions to the others at once.
 */
class ReplicasTest {

    static EmbeddedKafkaBroker broker;
    static EmbeddedPostgres pg;
    final List<JobManager> replicas = new ArrayList<>();
    final List<PostgresWarehouse> warehouses = new ArrayList<>();

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        pg = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
        pg.close();
    }

    @AfterEach
    void closeReplicas() {
        replicas.forEach(JobManager::close);
        warehouses.forEach(PostgresWarehouse::close);
    }

    JobManager replica(String name) throws Exception {
        PostgresWarehouse w = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
        warehouses.add(w);
        JobManager m = new JobManager(w, "public", Clock.systemUTC(), 8, name)
                .autoResumeBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .followCatalog(Duration.ofMillis(200));
        replicas.add(m);
        return m;
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

    String createJob(JobManager on, String name, int desired, String extraProperties) throws Exception {
        sql("CREATE TABLE " + name + "_t (id INT, v VARCHAR)");
        on.execute("""
                CREATE ROUTINE LOAD %s ON %s_t COLUMNS TERMINATED BY ","
                PROPERTIES ("max_batch_interval" = "1", "desired_concurrent_number" = "%d")
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING"%s)""".formatted(name, name, desired,
                broker.bootstrapServers(), name, extraProperties));
        return name + "_t";
    }

    static RoutineLoadJob job(JobManager m, String name) {
        return m.find(new JobRef("public", name)).orElseThrow(() -> new AssertionError("no job " + name + " on "
                + m.replica()));
    }

    static Set<Integer> loading(JobManager m, String name) {
        Set<Integer> out = new TreeSet<>();
        m.find(new JobRef("public", name)).ifPresent(j -> j.tasks().forEach(t -> out.addAll(t.partitions())));
        return out;
    }

    void awaitRows(String table, long rows) {
        Await.until(Duration.ofSeconds(90), () -> scalar("SELECT count(*) FROM " + table) >= rows,
                () -> rows + " rows in " + table);
    }

    ConsumerGroupDescription group(String job) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            String id = "inlet_public_" + job;
            return admin.describeConsumerGroups(List.of(id)).all().get().get(id);
        }
    }

    @Test
    void replicasShareAJobsPartitionsAndOneThatLeavesHandsThemToTheOthers() throws Exception {
        String name = "shared";
        broker.createTopic(name, 6);
        JobManager a = replica("replica-a");
        JobManager b = replica("replica-b");
        String table = createJob(a, name, 6, "");

        Await.until(Duration.ofSeconds(60), () -> !loading(a, name).isEmpty() && !loading(b, name).isEmpty()
                        && loading(a, name).size() + loading(b, name).size() == 6,
                () -> "both replicas to load a share: a " + loading(a, name) + ", b " + loading(b, name));
        Set<Integer> both = new HashSet<>(loading(a, name));
        both.addAll(loading(b, name));
        assertThat(both).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(job(b, name).tasks()).allSatisfy(t -> assertThat(t.replica()).isEqualTo("replica-b"));
        List<List<String>> shown = b.execute("SHOW ROUTINE LOAD TASK WHERE JobName = \"" + name + "\"").rows();
        assertThat(shown).extracting(row -> row.get(JobViews.TASK_COLUMNS.indexOf("BeId")))
                .as("the tasks of both replicas, on either one").contains("replica-a", "replica-b");
        Set<Integer> shownPartitions = new TreeSet<>();
        for (List<String> row : shown) {
            String json = row.get(JobViews.TASK_COLUMNS.indexOf("DataSourceProperties"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(\\d+)\"").matcher(json);
            while (m.find()) {
                shownPartitions.add(Integer.parseInt(m.group(1)));
            }
        }
        assertThat(shownPartitions).containsExactly(0, 1, 2, 3, 4, 5);

        Topics.produce(broker, name, 6, TransientFaultsTest.csv(0, 6000));
        awaitRows(table, 6000);

        a.close(); // as on SIGTERM: its member leaves the group at once
        Await.until(Duration.ofSeconds(30), () -> loading(b, name).size() == 6,
                () -> "replica b to take every partition: " + loading(b, name));
        Topics.produce(broker, name, 6, TransientFaultsTest.csv(6000, 12000));
        awaitRows(table, 12000);
        Await.caughtUp(job(b, name), broker, name);
        assertThat(scalar("SELECT count(*) FROM " + table)).isEqualTo(12000);
        assertThat(scalar("SELECT count(DISTINCT id) FROM " + table)).isEqualTo(12000);
    }

    @Test
    void desiredConcurrentNumberCountsOverEveryReplica() throws Exception {
        String name = "capped";
        broker.createTopic(name, 6);
        JobManager a = replica("replica-a");
        String table = createJob(a, name, 1, "");
        Await.until(Duration.ofSeconds(60), () -> loading(a, name).size() == 6, () -> "replica a to load");
        JobManager b = replica("replica-b");
        Await.until(Duration.ofSeconds(60), () -> {
            ConsumerGroupDescription g = group(name);
            return g.groupState() == GroupState.STABLE && g.members().size() == 2;
        }, () -> "both replicas in the group");
        Await.until(Duration.ofSeconds(30), () -> job(a, name).tasks().size() == 1 && loading(a, name).size() == 6,
                () -> "replica a to load again after the rebalance");
        assertThat(loading(b, name)).isEmpty();
        Topics.produce(broker, name, 6, TransientFaultsTest.csv(0, 600));
        awaitRows(table, 600);
        assertThat(scalar("SELECT count(DISTINCT id) FROM " + table)).isEqualTo(600);
    }

    @Test
    void aPartitionAddedWhileTheJobRunsIsLoaded() throws Exception {
        String name = "growing";
        broker.createTopic(name, 2);
        JobManager a = replica("replica-a");
        String table = createJob(a, name, 4, ", \"property.metadata.max.age.ms\" = \"500\"");
        Topics.produce(broker, name, 2, TransientFaultsTest.csv(0, 200));
        awaitRows(table, 200);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createPartitions(Map.of(name, NewPartitions.increaseTo(4))).all().get();
        }
        Await.until(Duration.ofSeconds(60), () -> loading(a, name).size() == 4,
                () -> "the job to load the new partitions: " + loading(a, name));
        Topics.produce(broker, name, 4, TransientFaultsTest.csv(200, 600));
        awaitRows(table, 600);
        assertThat(scalar("SELECT count(DISTINCT id) FROM " + table)).isEqualTo(600);
        assertThat(job(a, name).partitions()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void aStatementThroughOneReplicaTakesEffectOnTheOthers() throws Exception {
        String name = "steered";
        broker.createTopic(name, 2);
        JobManager a = replica("replica-a");
        JobManager b = replica("replica-b");
        String table = createJob(a, name, 2, "");
        Await.until(Duration.ofSeconds(30), () -> b.find(new JobRef("public", name)).isPresent(),
                () -> "replica b to see the job");

        b.execute("PAUSE ROUTINE LOAD FOR " + name);
        Await.until(Duration.ofSeconds(30), () -> job(a, name).state() == JobState.PAUSED && loading(a, name).isEmpty(),
                () -> "replica a to pause the job: " + job(a, name).state());
        Topics.produce(broker, name, 2, TransientFaultsTest.csv(0, 100));

        a.execute("RESUME ROUTINE LOAD FOR " + name);
        awaitRows(table, 100);
        Await.until(Duration.ofSeconds(30), () -> job(b, name).state() == JobState.RUNNING,
                () -> "replica b to run the job again: " + job(b, name).state());

        b.execute("STOP ROUTINE LOAD FOR " + name);
        Await.until(Duration.ofSeconds(30), () -> a.find(new JobRef("public", name)).isEmpty(),
                () -> "replica a to stop the job");
        assertThat(a.findAny(new JobRef("public", name)).orElseThrow().state()).isEqualTo(JobState.STOPPED);
        assertThat(scalar("SELECT count(DISTINCT id) FROM " + table)).isEqualTo(100);
    }
}
