package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention removed messages a job had not loaded (its position is below the partition's earliest offset):
 * the job pauses and says which partition, its position and the offsets available, never skipping silently nor
 * auto-resuming into the same fault; {@code property.kafka_out_of_range_offsets} lets it go on, and SHOW and the
 * error log say what was skipped.
 */
class OffsetsOutOfRangeTest {

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
                .autoResumeBackoff(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @AfterEach
    void close() {
        jobs.close();
        warehouse.close();
    }

    /**
     * Job {@code name} loads ids 0-99 (offsets 0-49 of partitions 0 and 1), is paused, ids 100-199 arrive (offsets
     * 50-99), retention removes offsets 50-79 of partition 0, and the job is resumed.
     */
    private RoutineLoadJob pausedWhileRetentionRemovesItsNextMessages(String name, String policy) throws Exception {
        broker.createTopic(name, 2);
        Topics.produce(broker, name, 2, TransientFaultsTest.csv(0, 100));
        try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + name + "_t (id INT, v VARCHAR)");
        }
        jobs.execute("""
                CREATE ROUTINE LOAD %s ON %s_t COLUMNS TERMINATED BY ","
                PROPERTIES ("max_batch_interval" = "1", "desired_concurrent_number" = "1")
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING"%s)""".formatted(name, name,
                broker.bootstrapServers(), name,
                policy == null ? "" : ", \"property.kafka_out_of_range_offsets\" = \"" + policy + "\""));
        RoutineLoadJob job = job(name);
        Await.caughtUp(job, broker, name);
        jobs.execute("PAUSE ROUTINE LOAD FOR " + name);
        Topics.produce(broker, name, 2, TransientFaultsTest.csv(100, 200));
        try (Admin admin = broker.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(name, 0), RecordsToDelete.beforeOffset(80))).all().get();
        }
        jobs.execute("RESUME ROUTINE LOAD FOR " + name);
        return job;
    }

    @Test
    void theJobPausesNamingThePartitionItsPositionAndTheOffsetsAvailableThenGoesOnAsAlteredTo() throws Exception {
        RoutineLoadJob job = pausedWhileRetentionRemovesItsNextMessages("oor_pause", null);

        Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.PAUSED && !job.autoResumePending(),
                () -> "a pause that waits for the user; state " + job.state() + ": " + job.record().reason());
        assertThat(job.record().reason()).contains("partition 0 of topic oor_pause: the job's position 50 is out of "
                + "range, the earliest offset available is 80 and the latest 100", "Nothing was skipped",
                "'property.kafka_out_of_range_offsets' = 'OFFSET_BEGINNING' or 'OFFSET_END'");
        assertThat(job.progress()).containsEntry(0, 50L);

        jobs.execute("ALTER ROUTINE LOAD FOR oor_pause FROM KAFKA (\"property.kafka_out_of_range_offsets\" = \"OFFSET_BEGINNING\")");
        jobs.execute("RESUME ROUTINE LOAD FOR oor_pause");
        Await.caughtUp(job, broker, "oor_pause");
        // partition 0 goes on from offset 80: ids 160-198 of it (20), all of partition 1's new ones (50)
        assertThat(count("oor_pause_t")).isEqualTo(170);
        assertThat(distinct("oor_pause_t")).isEqualTo(170);
        assertThat(job.errorLog().entries()).anySatisfy(e -> {
            assertThat(e.partition()).isEqualTo("0");
            assertThat(e.offset()).isEqualTo(50);
            assertThat(e.reason()).contains("offset 50 is out of range (earliest 80, latest 100); the job goes on from "
                    + "offset 80, skipping 30 messages");
        });
        assertThat(jobs.execute("SHOW ROUTINE LOAD FOR oor_pause").rows().get(0)).anyMatch(v -> String.valueOf(v)
                .contains("skipping 30 messages"));
    }

    @Test
    void withOffsetEndTheJobGoesOnFromTheLatestOffsetAndSaysWhatItSkipped() throws Exception {
        RoutineLoadJob job = pausedWhileRetentionRemovesItsNextMessages("oor_end", "OFFSET_END");

        Await.until(Duration.ofSeconds(30), () -> job.otherMsg().contains("skipping"), () -> "a skip; state "
                + job.state() + ": " + job.record().reason());
        assertThat(job.otherMsg()).contains("partition 0 of topic oor_end: offset 50 is out of range", "skipping 50");
        // the skip becomes partition 0's committed position with its next batch
        Topics.produce(broker, "oor_end", 2, TransientFaultsTest.csv(200, 210));
        Await.caughtUp(job, broker, "oor_end");
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        // partition 0 went on from offset 100: none of its 50 messages after the pause, all of partition 1's, and
        // the 10 new ones
        assertThat(count("oor_end_t")).isEqualTo(160);
        assertThat(distinct("oor_end_t")).isEqualTo(160);
    }

    private RoutineLoadJob job(String name) {
        return jobs.findAny(new JobRef("main", name)).orElseThrow();
    }

    private long count(String table) throws Exception {
        return query("SELECT count(*) FROM " + table);
    }

    private long distinct(String table) throws Exception {
        return query("SELECT count(DISTINCT id) FROM " + table);
    }

    private long query(String sql) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
