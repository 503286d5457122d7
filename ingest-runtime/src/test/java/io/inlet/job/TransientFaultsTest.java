package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Auto-pause and auto-resume across a broker outage, a user's pause that stays, and UNSTABLE. */
class TransientFaultsTest {

    @TempDir
    Path dir;

    static List<String> csv(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> i + ",v" + i).toList();
    }

    static String create(String job, String table, String brokers, String topic) {
        return """
                CREATE ROUTINE LOAD %s ON %s COLUMNS TERMINATED BY ","
                PROPERTIES ("max_batch_interval" = "1")
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING")""".formatted(job, table, brokers, topic);
    }

    static long count(Connection c, String table) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aWarehouseOutagePausesTheJobWhichResumesByItselfAndLosesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            pg.execute("CREATE TABLE wh_outage_t (id INT, v VARCHAR(16))");
            broker.createTopic("wh_outage", 2);
            Topics.produce(broker, "wh_outage", 2, csv(0, 100));
            try (PostgresWarehouse warehouse = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
                 JobManager jobs = new JobManager(warehouse, "public", Clock.systemUTC(), 8)
                         .autoResumeBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2))
                         .monitor(Duration.ofMillis(300), Duration.ofSeconds(2))) {
                jobs.execute(create("wh_outage_job", "wh_outage_t", broker.bootstrapServers(), "wh_outage"));
                RoutineLoadJob job = jobs.findAny(new JobRef("public", "wh_outage_job")).orElseThrow();
                Await.until(Duration.ofSeconds(30), () -> pgCount(pg, "wh_outage_t") == 100, () -> "100 rows");

                pg.stopServer();
                Topics.produce(broker, "wh_outage", 2, csv(100, 150));
                Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.PAUSED && job.autoResumePending(),
                        () -> "an auto-pause; state " + job.state() + " " + job.record().reason());
                assertThat(job.record().reason()).contains("resumes automatically");

                pg.restartServer();
                Await.until(Duration.ofSeconds(40), () -> job.state() == JobState.RUNNING
                                && pgCount(pg, "wh_outage_t") == 150,
                        () -> "auto-resumed with 150 rows; state " + job.state() + " " + job.record().reason());
                try (Connection c = pg.connect(); Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT count(DISTINCT id) FROM wh_outage_t")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(150);
                }
            }
        }
    }

    static long pgCount(EmbeddedPostgres pg, String table) throws Exception {
        try (Connection c = pg.connect()) {
            return count(c, table);
        }
    }

    @Test
    void aBrokerOutagePausesTheJobWhichResumesByItselfOnceTheBrokerIsBack() throws Exception {
        Path kafkaDir = dir.resolve("kafka");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(kafkaDir).start();
        Map<String, Integer> ports = broker.ports();
        try (DuckDbWarehouse warehouse = new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("w.duckdb"));
             JobManager jobs = new JobManager(warehouse, "main", Clock.systemUTC(), 8)
                     .autoResumeBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2))
                     .monitor(Duration.ofMillis(300), Duration.ofSeconds(2));
             Connection c = warehouse.connect()) {
            broker.createTopic("outage", 2);
            Topics.produce(broker, "outage", 2, csv(0, 100));
            c.createStatement().execute("CREATE TABLE outage_t (id INT, v VARCHAR)");
            jobs.execute(create("outage_job", "outage_t", broker.bootstrapServers(), "outage"));
            RoutineLoadJob job = jobs.findAny(new JobRef("main", "outage_job")).orElseThrow();
            Await.until(Duration.ofSeconds(30), () -> count(c, "outage_t") == 100, () -> "100 rows");

            broker.close();
            Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.PAUSED,
                    () -> "an auto-pause; state " + job.state());
            assertThat(job.record().reason()).contains("unreachable", "resumes automatically");
            assertThat(job.autoResumePending()).isTrue();
            // while the broker is away, auto-resumes fail and pause again, with a growing backoff
            Await.until(Duration.ofSeconds(30), () -> job.autoResumePending() && job.record().reason().contains("attempt 2"),
                    () -> "an auto-resume that failed and paused again; state " + job.state() + " " + job.record().reason());

            broker = EmbeddedKafkaBroker.builder().dataDir(kafkaDir).ports(ports).start();
            Topics.produce(broker, "outage", 2, csv(100, 150));
            Await.until(Duration.ofSeconds(40), () -> job.state() == JobState.RUNNING && count(c, "outage_t") == 150,
                    () -> "auto-resumed with 150 rows; state " + job.state() + " " + job.record().reason());

            // a user's pause of a job that waits to resume by itself stays paused
            broker.close();
            Await.until(Duration.ofSeconds(30), job::autoResumePending, () -> "a second auto-pause");
            jobs.execute("PAUSE ROUTINE LOAD FOR outage_job");
            assertThat(job.autoResumePending()).isFalse();
            assertThat(job.record().reason()).isEqualTo("paused by user");
            broker = EmbeddedKafkaBroker.builder().dataDir(kafkaDir).ports(ports).start();
            Topics.produce(broker, "outage", 2, csv(150, 160));
            jobs.autoResumesScheduledSoFar().get(30, TimeUnit.SECONDS); // the pending auto-resume came due and left it
            assertThat(job.state()).isEqualTo(JobState.PAUSED);
            assertThat(count(c, "outage_t")).isEqualTo(150);
            jobs.execute("RESUME ROUTINE LOAD FOR outage_job");
            Await.until(Duration.ofSeconds(30), () -> count(c, "outage_t") == 160, () -> "160 rows after RESUME");
        } finally {
            broker.close();
        }
    }

    @Test
    void aJobWhoseLagKeepsGrowingBeyondTheThresholdIsUnstableUntilItCatchesUp() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             EmbeddedPostgres pg = EmbeddedPostgres.start()) {
            broker.createTopic("laggy", 1);
            pg.execute("CREATE TABLE laggy_t (id INT, v VARCHAR)");
            try (PostgresWarehouse warehouse = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
                 JobManager jobs = new JobManager(warehouse, "public", Clock.systemUTC(), 8)
                         .unstableLagThreshold(20).monitor(Duration.ofMillis(300), Duration.ofSeconds(5));
                 Connection lock = pg.connect()) {
                jobs.execute(create("laggy_job", "laggy_t", broker.bootstrapServers(), "laggy"));
                RoutineLoadJob job = jobs.findAny(new JobRef("public", "laggy_job")).orElseThrow();
                Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.RUNNING, () -> "RUNNING");

                // the warehouse stalls (a lock on the table) while messages keep coming
                lock.setAutoCommit(false);
                lock.createStatement().execute("LOCK TABLE laggy_t IN ACCESS EXCLUSIVE MODE");
                AtomicBoolean producing = new AtomicBoolean(true);
                Thread producer = new Thread(() -> {
                    int i = 0;
                    while (producing.get()) {
                        Topics.produce(broker, "laggy", 1, csv(i, i + 10));
                        i += 10;
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                producer.start();
                try {
                    Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.UNSTABLE,
                            () -> "UNSTABLE; state " + job.state() + ", lag " + job.lag());
                    assertThat(job.record().reason()).contains("keeps growing beyond the threshold of 20");
                    assertThat(jobs.execute("SHOW ROUTINE LOAD WHERE State = \"UNSTABLE\"").rows()).hasSize(1);
                } finally {
                    producing.set(false);
                    producer.join();
                }
                lock.commit();
                Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.RUNNING,
                        () -> "RUNNING again once caught up; state " + job.state() + ", lag " + job.lag());
            }
        }
    }
}
