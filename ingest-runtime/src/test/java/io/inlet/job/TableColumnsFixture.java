package io.inlet.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.Warehouse;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real broker, a warehouse and a job manager for the tests of how JDBC sinks fill their tables' columns:
 * each load gets its own topic, job and table. The tests here hold for every JDBC warehouse: a table that
 * gains a column while a job runs.
 */
abstract class TableColumnsFixture {

    /** A column type, a value as a JSON message carries it, and the same value as the warehouse's SQL. */
    record TypeCase(String type, String json, String sql) {
        @Override
        public String toString() {
            return type + " from " + json;
        }
    }

    static EmbeddedKafkaBroker broker;
    private static final AtomicInteger SEQ = new AtomicInteger();
    Warehouse warehouse;
    JobManager jobs;

    abstract Warehouse openWarehouse() throws Exception;

    abstract Connection connect() throws Exception;

    abstract String defaultDb();

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
        warehouse = openWarehouse();
        jobs = new JobManager(warehouse, defaultDb(), Clock.systemUTC(), 8);
    }

    @AfterEach
    void close() {
        jobs.close();
        warehouse.close();
    }

    static String unique(String prefix) {
        return prefix + "_" + SEQ.incrementAndGet();
    }

    void sql(String ddl) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }

    List<List<Object>> query(String sql) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    String createStatement(String job, String table, String columns, String topic) {
        return """
                CREATE ROUTINE LOAD %s ON %s
                %s
                PROPERTIES ('format'='json', 'max_error_number'='0')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')""".formatted(job, table,
                columns == null ? "" : "COLUMNS(" + columns + ")", broker.bootstrapServers(), topic);
    }

    /** A job loading from its own topic. */
    record Loading(RoutineLoadJob job, String topic) {

        /** Produces {@code messages} and waits until the job has settled {@code rowsInAll} rows. */
        void more(List<String> messages, long rowsInAll) {
            Topics.produce(broker, topic, 1, messages);
            awaitRows(job, rowsInAll);
        }
    }

    /**
     * Loads JSON {@code messages} into {@code table} with a new job ({@code columns}: its COLUMNS, or null) and
     * waits until every message is settled; fails with the job's reason when it pauses instead.
     */
    Loading load(String table, String columns, List<String> messages) throws Exception {
        String name = unique("job");
        String topic = unique("topic");
        broker.createTopic(topic, 1);
        Topics.produce(broker, topic, 1, messages);
        jobs.execute(createStatement(name, table, columns, topic));
        RoutineLoadJob job = jobs.findAny(new JobRef(defaultDb(), name)).orElseThrow();
        awaitRows(job, messages.size());
        return new Loading(job, topic);
    }

    Map<String, String> showJobProperties(RoutineLoadJob job) throws Exception {
        SqlResult r = jobs.execute("SHOW ROUTINE LOAD FOR " + job.ref().name());
        String json = r.rows().get(0).get(r.columns().indexOf("JobProperties"));
        return new ObjectMapper().readValue(json, new TypeReference<Map<String, String>>() {});
    }

    @Test
    void aColumnAddedWhileTheJobRunsIsFilledByNameFromJsonWithoutColumns() throws Exception {
        String table = unique("grows");
        sql("CREATE TABLE " + table + " (id INTEGER, name VARCHAR(20))");
        Loading loading = load(table, null, List.of("{\"id\":1,\"name\":\"a\",\"city\":\"x\"}"));
        String readBefore = showJobProperties(loading.job()).get("schemaReadTime");

        sql("ALTER TABLE " + table + " ADD COLUMN city VARCHAR(20)");
        loading.more(List.of("{\"id\":2,\"name\":\"b\",\"city\":\"Berlin\"}"), 2);

        assertThat(query("SELECT id, name, city FROM " + table + " ORDER BY id")).containsExactly(
                Arrays.asList(1, "a", null), Arrays.asList(2, "b", "Berlin"));
        Map<String, String> props = showJobProperties(loading.job());
        assertThat(props.get("loadedColumns")).isEqualTo("id,name,city");
        assertThat(props.get("schemaReadTime")).isGreaterThanOrEqualTo(readBefore);
        assertThat(loading.job().state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aColumnAddedWhileAJobWithColumnsRunsGetsItsDefault() throws Exception {
        String table = unique("grows");
        sql("CREATE TABLE " + table + " (id INTEGER, name VARCHAR(20))");
        Loading loading = load(table, "id, name", List.of("{\"id\":1,\"name\":\"a\"}"));

        sql("ALTER TABLE " + table + " ADD COLUMN status VARCHAR(20) DEFAULT 'new' NOT NULL");
        loading.more(List.of("{\"id\":2,\"name\":\"b\",\"status\":\"ignored\"}"), 2);

        assertThat(query("SELECT id, name, status FROM " + table + " ORDER BY id")).containsExactly(
                List.of(1, "a", "new"), List.of(2, "b", "new"));
        assertThat(showJobProperties(loading.job()).get("loadedColumns")).isEqualTo("id,name");
        assertThat(loading.job().state()).isEqualTo(JobState.RUNNING);
    }

    /** Waits until {@code job} has settled {@code rows} rows in all, failing at once if it pauses. */
    static void awaitRows(RoutineLoadJob job, long rows) {
        Await.until(Duration.ofSeconds(60), () -> job.state() == JobState.PAUSED || job.statistics().totalRows() >= rows,
                () -> "job " + job.ref() + " to settle " + rows + " rows; state " + job.state() + ", settled "
                        + job.statistics().totalRows());
        assertThat(job.state()).as("job state; reason: %s", job.record().reason()).isNotEqualTo(JobState.PAUSED);
        assertThat(job.statistics().errorRows()).as("error rows; %s", job.otherMsg()).isZero();
    }
}
