package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.jdbc.DuckDbWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PAUSE / RESUME / STOP / ALTER / SHOW on real jobs (a real broker, DuckDB), and the invalid transitions. */
class RoutineLoadManagementTest {

    static EmbeddedKafkaBroker broker;
    @TempDir
    Path dir;
    DuckDbWarehouse warehouse;
    JobManager jobs;
    String topic;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void open(TestInfo info) throws Exception {
        topic = info.getTestMethod().orElseThrow().getName();
        warehouse = new DuckDbWarehouse("jdbc:duckdb:" + dir.resolve("w.duckdb"));
        jobs = new JobManager(warehouse, "main", Clock.systemUTC(), 8).monitor(Duration.ofMillis(300), Duration.ofSeconds(3));
    }

    @AfterEach
    void close() {
        jobs.close();
        warehouse.close();
    }

    void sql(String ddl) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }

    long count(String table) throws Exception {
        try (Connection c = warehouse.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    RoutineLoadJob job(String name) {
        return jobs.findAny(new JobRef("main", name)).orElseThrow();
    }

    void awaitState(String name, JobState state) {
        RoutineLoadJob job = job(name);
        Await.until(Duration.ofSeconds(30), () -> job.state() == state,
                () -> name + " to be " + state + "; it is " + job.state() + " " + job.record().reason());
    }

    void awaitRows(String table, long rows) {
        Await.until(Duration.ofSeconds(30), () -> count(table) >= rows, () -> table + " to have " + rows + " rows");
    }

    static List<String> csv(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> i + ",v" + i).toList();
    }

    String create(String job, String table, String props, String source) {
        return """
                CREATE ROUTINE LOAD %s ON %s COLUMNS TERMINATED BY ","
                PROPERTIES ("max_batch_interval" = "1"%s)
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING"%s)""".formatted(job, table,
                props, broker.bootstrapServers(), topic, source);
    }

    Map<String, String> show(String sql) throws Exception {
        SqlResult r = jobs.execute(sql);
        assertThat(r.rows()).hasSize(1);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i), r.rows().get(0).get(i));
        }
        return m;
    }

    List<String> names(String sql) throws Exception {
        SqlResult r = jobs.execute(sql);
        int name = r.columns().indexOf("Name");
        return r.rows().stream().map(row -> row.get(name)).toList();
    }

    String statementOf(String name) throws Exception {
        return warehouse.catalog().all().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow().statement();
    }

    @Test
    void lifecycleTransitionsAndTheInvalidOnesChangeNothing() throws Exception {
        broker.createTopic(topic, 2);
        Topics.produce(broker, topic, 2, csv(0, 100));
        sql("CREATE TABLE life_t (id INT, v VARCHAR)");
        jobs.execute(create("life_job", "life_t", "", ""));
        awaitState("life_job", JobState.RUNNING);
        awaitRows("life_t", 100);
        String created = statementOf("life_job");

        assertThatThrownBy(() -> jobs.execute(create("life_job", "life_t", "", "")))
                .hasMessageContaining("routine load job main.life_job already exists");
        assertThatThrownBy(() -> jobs.execute("ALTER ROUTINE LOAD FOR life_job PROPERTIES (\"desired_concurrent_number\" = \"1\")"))
                .hasMessageContaining("is RUNNING; PAUSE it before ALTER ROUTINE LOAD");
        assertThatThrownBy(() -> jobs.execute("RESUME ROUTINE LOAD FOR life_job"))
                .hasMessageContaining("is RUNNING; only a PAUSED job can be resumed");
        assertThatThrownBy(() -> jobs.execute("PAUSE ROUTINE LOAD FOR no_such_job"))
                .hasMessageContaining("routine load job main.no_such_job does not exist");
        assertThatThrownBy(() -> jobs.execute("SHOW ROUTINE LOAD FOR no_such_job"))
                .hasMessageContaining("does not exist");
        assertThat(warehouse.catalog().all()).hasSize(1);
        assertThat(statementOf("life_job")).isEqualTo(created);
        assertThat(job("life_job").state()).isEqualTo(JobState.RUNNING);

        jobs.execute("PAUSE ROUTINE LOAD FOR life_job");
        assertThat(job("life_job").state()).isEqualTo(JobState.PAUSED);
        assertThat(job("life_job").tasks()).isEmpty();
        assertThat(show("SHOW ROUTINE LOAD FOR life_job").get("ReasonOfStateChanged")).isEqualTo("paused by user");
        assertThatThrownBy(() -> jobs.execute("PAUSE ROUTINE LOAD FOR life_job")).hasMessageContaining("already PAUSED");
        Topics.produce(broker, topic, 2, csv(100, 120));
        assertThat(job("life_job").tasks()).isEmpty(); // a paused job has no task to load with
        assertThat(count("life_t")).isEqualTo(100);

        jobs.execute("RESUME ROUTINE LOAD FOR life_job");
        awaitState("life_job", JobState.RUNNING);
        awaitRows("life_t", 120);

        jobs.execute("STOP ROUTINE LOAD FOR life_job");
        assertThat(job("life_job").state()).isEqualTo(JobState.STOPPED);
        assertThatThrownBy(() -> jobs.execute("RESUME ROUTINE LOAD FOR life_job"))
                .hasMessageContaining("routine load job main.life_job is STOPPED and cannot be resumed");
        assertThatThrownBy(() -> jobs.execute("ALTER ROUTINE LOAD FOR life_job PROPERTIES (\"desired_concurrent_number\" = \"1\")"))
                .hasMessageContaining("is STOPPED and cannot be altered");
        assertThatThrownBy(() -> jobs.execute("STOP ROUTINE LOAD FOR life_job")).hasMessageContaining("is STOPPED");
        assertThatThrownBy(() -> jobs.execute("SHOW ROUTINE LOAD FOR life_job")).hasMessageContaining("SHOW ALL ROUTINE LOAD");
        Map<String, String> stopped = show("SHOW ALL ROUTINE LOAD FOR life_job");
        assertThat(stopped.get("State")).isEqualTo("STOPPED");
        assertThat(stopped.get("EndTime")).isNotEqualTo("NULL");
        assertThat(stopped.get("Statistic")).contains("\"loadedRows\":120", "\"totalRows\":120");

        // a stopped name can be used again, and SHOW filters, orders and limits
        jobs.execute(create("life_job", "life_t", "", ""));
        jobs.execute(create("another_job", "life_t", "", ""));
        jobs.execute("PAUSE ROUTINE LOAD FOR another_job");
        assertThat(names("SHOW ROUTINE LOAD")).containsExactly("life_job", "another_job");
        assertThat(names("SHOW ALL ROUTINE LOAD")).containsExactly("life_job", "life_job", "another_job");
        assertThat(names("SHOW ALL ROUTINE LOAD ORDER BY Name DESC LIMIT 2")).containsExactly("life_job", "life_job");
        assertThat(names("SHOW ALL ROUTINE LOAD ORDER BY Name LIMIT 1, 1")).containsExactly("life_job");
        assertThat(names("SHOW ROUTINE LOAD WHERE State = \"PAUSED\"")).containsExactly("another_job");
        assertThat(names("SHOW ALL ROUTINE LOAD WHERE State = \"STOPPED\"")).containsExactly("life_job");
    }

    @Test
    void alterOfPartitionsOffsetsAndConcurrencyTakesEffectAfterResume() throws Exception {
        broker.createTopic(topic, 3);
        Topics.produce(broker, topic, 3, csv(0, 90)); // 30 messages in each partition
        sql("CREATE TABLE alter_t (id INT, v VARCHAR)");
        jobs.execute(create("alter_job", "alter_t", ", \"desired_concurrent_number\" = \"1\"", ""));
        awaitRows("alter_t", 90);
        assertThat(job("alter_job").tasks()).hasSize(1);

        jobs.execute("PAUSE ROUTINE LOAD FOR alter_job");
        jobs.execute("""
                ALTER ROUTINE LOAD FOR alter_job PROPERTIES ("desired_concurrent_number" = "2")
                FROM KAFKA ("kafka_partitions" = "0, 1", "kafka_offsets" = "10, OFFSET_BEGINNING")""");
        assertThat(statementOf("alter_job")).contains("desired_concurrent_number", "kafka_offsets");
        assertThat(job("alter_job").tasks()).isEmpty(); // nothing happens before RESUME
        assertThat(count("alter_t")).isEqualTo(90);

        jobs.execute("RESUME ROUTINE LOAD FOR alter_job");
        awaitState("alter_job", JobState.RUNNING);
        // partition 0 again from offset 10 (20 rows), partition 1 from the beginning (30 rows), partition 2 no more
        awaitRows("alter_t", 140);
        RoutineLoadJob job = job("alter_job");
        Await.caughtUp(job, broker, topic);
        assertThat(count("alter_t")).isEqualTo(140);
        assertThat(job.tasks()).hasSize(2);
        assertThat(job.tasks().stream().flatMap(t -> t.partitions().stream()).sorted().toList()).containsExactly(0, 1);
        Map<String, String> row = show("SHOW ROUTINE LOAD FOR alter_job");
        assertThat(row.get("Progress")).isEqualTo("{\"0\":\"29\",\"1\":\"29\"}");
        assertThat(row.get("CurrentTaskNum")).isEqualTo("2");
        assertThat(row.get("JobProperties")).contains("\"partitions\":\"0,1\"", "\"desireTaskConcurrentNum\":\"2\"");
        assertThat(row.get("DataSourceProperties")).contains("\"currentKafkaPartitions\":\"0,1\"");
        assertThat(jobs.execute("SHOW ROUTINE LOAD TASK WHERE JobName = \"alter_job\"").rows()).hasSize(2);
    }

    @Test
    void showReportsStatisticProgressAndLagOfAKnownLoad() throws Exception {
        broker.createTopic(topic, 2);
        List<String> rows = new java.util.ArrayList<>(csv(0, 40));
        rows.add("not-a-number,x");
        rows.add("neither,y");
        Topics.produce(broker, topic, 2, rows);
        sql("CREATE TABLE show_t (id INT, v VARCHAR)");
        jobs.execute(create("show_job", "show_t", ", \"max_error_number\" = \"5\", \"strict_mode\" = \"true\"", ""));
        RoutineLoadJob job = job("show_job");
        Await.until(Duration.ofSeconds(30), () -> job.statistics().totalRows() >= 42 && job.lag().equals(Map.of(0, 0L, 1, 0L)),
                () -> "42 rows settled and lag observed; " + job.statistics().asMap() + " " + job.lag());
        Map<String, String> row = show("SHOW ROUTINE LOAD FOR show_job");
        assertThat(row.get("State")).isEqualTo("RUNNING");
        assertThat(row.get("Statistic")).contains("\"loadedRows\":40", "\"errorRows\":2", "\"totalRows\":42",
                "\"unselectedRows\":0", "\"committedTaskNum\"", "\"receivedBytes\"");
        assertThat(row.get("Progress")).isEqualTo("{\"0\":\"20\",\"1\":\"20\"}");
        assertThat(row.get("Lag")).isEqualTo("{\"0\":0,\"1\":0}");
        assertThat(row.get("CustomProperties")).isEqualTo("{\"kafka_default_offsets\":\"OFFSET_BEGINNING\"}");
        Await.until(Duration.ofSeconds(10), () -> jobs.execute("SHOW ROUTINE LOAD TASK WHERE JobName = \"show_job\"")
                .rows().stream().allMatch(r -> r.get(r.size() - 1).equals(
                        "there is no new data in kafka, wait for 1 seconds to schedule again")), () -> "idle tasks");
    }

    @Test
    void droppingTheTargetTableCancelsTheJob() throws Exception {
        broker.createTopic(topic, 1);
        Topics.produce(broker, topic, 1, csv(0, 10));
        sql("CREATE TABLE drop_t (id INT, v VARCHAR)");
        jobs.execute(create("drop_job", "drop_t", "", ""));
        awaitRows("drop_t", 10);
        sql("DROP TABLE drop_t");
        Topics.produce(broker, topic, 1, csv(10, 20));
        awaitState("drop_job", JobState.CANCELLED);
        assertThat(job("drop_job").record().reason()).contains("target table drop_t does not exist any more");
        assertThatThrownBy(() -> jobs.execute("RESUME ROUTINE LOAD FOR drop_job")).hasMessageContaining("is CANCELLED");
    }

    @Test
    void severalJobsLoadDifferentTablesAtOnce() throws Exception {
        broker.createTopic(topic, 2);
        Topics.produce(broker, topic, 2, csv(0, 300));
        for (int i = 0; i < 3; i++) {
            sql("CREATE TABLE many_" + i + " (id INT, v VARCHAR)");
            jobs.execute(create("many_job_" + i, "many_" + i, "", ""));
        }
        Await.until(Duration.ofSeconds(30), () -> jobs.jobs().stream().allMatch(j -> j.state() == JobState.RUNNING
                && j.tasks().size() == 2), () -> "three jobs running with two tasks each");
        for (int i = 0; i < 3; i++) {
            awaitRows("many_" + i, 300);
        }
        for (int i = 0; i < 3; i++) {
            Await.caughtUp(job("many_job_" + i), broker, topic);
            assertThat(count("many_" + i)).isEqualTo(300);
        }
    }
}
