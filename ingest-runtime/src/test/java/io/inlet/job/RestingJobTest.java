package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job whose partitions bring nothing for {@code restAfter} rests: it leaves its consumer group and holds no task,
 * yet stays RUNNING; a new message, or a partition added to the topic (seen within the job's
 * {@code metadata.max.age.ms} and {@code fetch.max.wait.ms}, which the test shortens), makes it join again and load, each row once.
 */
class RestingJobTest {

    static EmbeddedKafkaBroker broker;
    @TempDir
    Path dir;
    DuckDbWarehouse warehouse;
    JobManager jobs;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void open() throws Exception {
        warehouse = new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        jobs = new JobManager(warehouse, "main", Clock.systemUTC(), 8)
                .restAfter(Duration.ofSeconds(1))
                .monitor(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        jobs.close();
        warehouse.close();
    }

    @Test
    void anIdleJobRestsOutsideItsGroupAndLoadsTheNextMessageAndAnAddedPartition() throws Exception {
        String name = "resting";
        broker.createTopic(name, 2);
        Topics.produce(broker, name, 2, TransientFaultsTest.csv(0, 100));
        try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + name + "_t (id INT, v VARCHAR)");
        }
        jobs.execute("""
                CREATE ROUTINE LOAD %s ON %s_t COLUMNS TERMINATED BY ","
                PROPERTIES ("max_batch_interval" = "1")
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING",
                            "property.metadata.max.age.ms" = "1000", "property.fetch.max.wait.ms" = "500")""".formatted(name, name,
                broker.bootstrapServers(), name));
        RoutineLoadJob job = jobs.findAny(new JobRef("main", name)).orElseThrow();
        awaitRows(name, 100);

        awaitRest(job);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.tasks()).isEmpty();
        assertThat(group(name).members()).as("a resting job is no member of its group").isEmpty();

        Topics.produce(broker, name, 2, TransientFaultsTest.csv(100, 150));
        awaitRows(name, 150);
        awaitRest(job);

        try (Admin admin = broker.admin()) {
            admin.createPartitions(Map.of(name, NewPartitions.increaseTo(3))).all().get();
        }
        Topics.send(broker, List.of(new ProducerRecord<>(name, 2, null,
                "150,added".getBytes(StandardCharsets.UTF_8))));
        awaitRows(name, 151);

        assertThat(query("SELECT count(DISTINCT id) FROM " + name + "_t")).isEqualTo(151);
        assertThat(query("SELECT count(*) FROM " + name + "_t")).isEqualTo(151);
        assertThat(job.progress()).containsEntry(2, 1L);
    }

    @Test
    void jobsRestingOnOneTopicEachLoadTheNextMessages() throws Exception {
        String topic = "shared_rest";
        broker.createTopic(topic, 3);
        Topics.produce(broker, topic, 3, TransientFaultsTest.csv(0, 60));
        List<RoutineLoadJob> resting = new java.util.ArrayList<>();
        for (String name : List.of("first", "second")) {
            try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE " + name + "_t (id INT, v VARCHAR)");
            }
            jobs.execute("""
                    CREATE ROUTINE LOAD %s ON %s_t COLUMNS TERMINATED BY ","
                    PROPERTIES ("max_batch_interval" = "1")
                    FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                                "property.kafka_default_offsets" = "OFFSET_BEGINNING")""".formatted(name, name,
                    broker.bootstrapServers(), topic));
            resting.add(jobs.findAny(new JobRef("main", name)).orElseThrow());
        }
        awaitRows("first", 60);
        awaitRows("second", 60);
        resting.forEach(this::awaitRest);

        Topics.produce(broker, topic, 3, TransientFaultsTest.csv(60, 90));
        awaitRows("first", 90);
        awaitRows("second", 90);
        for (String name : List.of("first", "second")) {
            assertThat(query("SELECT count(*) FROM " + name + "_t")).isEqualTo(90);
            assertThat(query("SELECT count(DISTINCT id) FROM " + name + "_t")).isEqualTo(90);
        }
    }

    private void awaitRest(RoutineLoadJob job) {
        Await.until(Duration.ofSeconds(60), job::resting, () -> "the job to rest; state " + job.state()
                + ", tasks " + job.tasks().size());
    }

    private void awaitRows(String name, long rows) {
        Await.until(Duration.ofSeconds(90), () -> query("SELECT count(*) FROM " + name + "_t") >= rows,
                () -> rows + " rows in " + name + "_t");
    }

    private ConsumerGroupDescription group(String job) throws Exception {
        try (Admin admin = broker.admin()) {
            String id = "inlet_main_" + job;
            return admin.describeConsumerGroups(List.of(id)).all().get().get(id);
        }
    }

    private long query(String sql) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
