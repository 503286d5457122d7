package io.inlet.job;

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
import org.junit.jupiter.api.TestInfo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka (a real broker) to a real warehouse through CREATE ROUTINE LOAD, for each JDBC sink:
 * JSON and CSV, derived columns, WHERE, strict mode, error thresholds, restart and fencing.
 */
abstract class LoadEndToEndTest {

    static EmbeddedKafkaBroker broker;
    Warehouse warehouse;
    JobManager jobs;
    String topic;

    /** Opens a fresh warehouse for one test. */
    abstract Warehouse openWarehouse() throws Exception;

    /** A connection for the test's own DDL and queries. */
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
    void open(TestInfo info) throws Exception {
        topic = info.getTestMethod().orElseThrow().getName();
        warehouse = openWarehouse();
        jobs = new JobManager(warehouse, defaultDb(), Clock.systemUTC(), 8);
    }

    @AfterEach
    void close() {
        jobs.close();
        warehouse.close();
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

    long count(String table) throws Exception {
        return ((Number) query("SELECT count(*) FROM " + table).get(0).get(0)).longValue();
    }

    RoutineLoadJob job(String name) {
        return jobs.findAny(new JobRef(defaultDb(), name)).orElseThrow();
    }

    void awaitSettled(String name, long rows) {
        RoutineLoadJob job = job(name);
        Await.until(Duration.ofSeconds(60), () -> job.statistics().totalRows() >= rows,
                () -> name + " to settle " + rows + " rows; state " + job.state() + " " + job.record().reason()
                        + ", settled " + job.statistics().totalRows());
    }

    Map<String, String> showRow(String name) throws Exception {
        SqlResult r = jobs.execute("SHOW ROUTINE LOAD FOR " + name);
        assertThat(r.rows()).hasSize(1);
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i), r.rows().get(0).get(i));
        }
        return m;
    }

    static List<String> usersMessages(int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"registertime\":" + (1493987388929L + i * 1000L)
                + ",\"userid\":\"User_" + i + "\",\"regionid\":\"Region_" + (i % 9) + "\",\"gender\":\""
                + (i % 2 == 0 ? "MALE" : "FEMALE") + "\"}").toList();
    }

    String seed001Statement(String job, String table) {
        return """
                CREATE ROUTINE LOAD %s ON %s
                COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))
                PROPERTIES ('format'='json', 'jsonpaths'='["$.userid","$.regionid","$.gender","$.registertime"]')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')""".formatted(job, table,
                broker.bootstrapServers(), topic);
    }

    @Test
    void seed001JsonWithJsonpathsAndDerivedColumn() throws Exception {
        broker.createTopic(topic, 3);
        Topics.produce(broker, topic, 3, usersMessages(3000));
        sql("CREATE TABLE users_json (userid VARCHAR(50), regionid VARCHAR(50), gender VARCHAR(50), dt TIMESTAMP)");
        jobs.execute(seed001Statement("users_json_job", "users_json"));
        awaitSettled("users_json_job", 3000);

        assertThat(count("users_json")).isEqualTo(3000);
        assertThat(query("SELECT regionid, gender, CAST(dt AS VARCHAR) FROM users_json WHERE userid = 'User_0'"))
                .containsExactly(List.of("Region_0", "MALE", "2017-05-05 12:29:48"));
        Map<String, String> show = showRow("users_json_job");
        assertThat(show.get("State")).isEqualTo("RUNNING");
        assertThat(show.get("TableName")).isEqualTo("users_json");
        assertThat(show.get("DataSourceType")).isEqualTo("KAFKA");
        assertThat(show.get("Statistic")).contains("\"loadedRows\":3000", "\"totalRows\":3000", "\"errorRows\":0");
        assertThat(show.get("Progress")).isEqualTo("{\"0\":\"999\",\"1\":\"999\",\"2\":\"999\"}");
        assertThat(show.get("JobProperties")).contains("\"dataFormat\":\"json\"", "\"desireTaskConcurrentNum\":\"3\"");
        assertThat(show.get("DataSourceProperties")).contains("\"topic\":\"" + topic + "\"",
                "\"currentKafkaPartitions\":\"0,1,2\"");

        // offsets are mirrored to the consumer group after the warehouse commit, for lag tools
        try (var admin = broker.admin()) {
            Await.until(Duration.ofSeconds(20), () -> admin.listConsumerGroupOffsets("inlet_" + defaultDb()
                            + "_users_json_job").partitionsToOffsetAndMetadata().get().values().stream()
                            .mapToLong(o -> o.offset()).sum() == 3000,
                    () -> "the consumer group inlet_" + defaultDb() + "_users_json_job at offsets 1000, 1000, 1000");
        }
    }

    @Test
    void csvWithMultiByteSeparatorEnclosedFieldsAndWhere() throws Exception {
        broker.createTopic(topic, 2);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(i + "||\"name||" + i + "\"||" + (i % 20) + ".5||2024-01-0" + (1 + i % 9));
        }
        Topics.produce(broker, topic, 2, rows);
        sql("CREATE TABLE orders_csv (order_id BIGINT, customer_name VARCHAR(64), price DECIMAL(10,2),"
                + " pay_dt DATE, price_x2 DOUBLE PRECISION)");
        jobs.execute("""
                CREATE ROUTINE LOAD orders_csv_job ON orders_csv
                COLUMNS TERMINATED BY "||",
                COLUMNS (order_id, customer_name, price, pay_dt, price_x2 = price * 2),
                WHERE price > 10
                PROPERTIES ("enclose" = "\\"")
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING")""".formatted(
                broker.bootstrapServers(), topic));
        awaitSettled("orders_csv_job", 400);

        // price is i % 20 + 0.5: 10.5 .. 19.5 pass the WHERE, half of the rows
        assertThat(count("orders_csv")).isEqualTo(200);
        assertThat(query("SELECT customer_name, CAST(price AS VARCHAR), CAST(pay_dt AS VARCHAR), price_x2"
                + " FROM orders_csv WHERE order_id = 13"))
                .containsExactly(List.of("name||13", "13.50", "2024-01-05", 27.0));
        assertThat(showRow("orders_csv_job").get("Statistic")).contains("\"unselectedRows\":200", "\"errorRows\":0");
    }

    @Test
    void strictModeTurnsConversionFailuresIntoErrorRows() throws Exception {
        broker.createTopic(topic, 1);
        Topics.produce(broker, topic, 1, List.of("1,10", "2,abc", "3,30"));
        sql("CREATE TABLE strict_t (id INT, amount INT)");
        jobs.execute("""
                CREATE ROUTINE LOAD strict_job ON strict_t COLUMNS TERMINATED BY ","
                PROPERTIES ("strict_mode" = "true", "max_error_number" = "10")
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING")""".formatted(
                broker.bootstrapServers(), topic));
        awaitSettled("strict_job", 3);

        assertThat(query("SELECT id, amount FROM strict_t ORDER BY id")).containsExactly(List.of(1, 10), List.of(3, 30));
        RoutineLoadJob job = job("strict_job");
        assertThat(job.statistics().errorRows()).isEqualTo(1);
        assertThat(job.errorLog().entries()).singleElement().satisfies(e -> {
            assertThat(e.partition()).isEqualTo("0");
            assertThat(e.offset()).isEqualTo(1);
            assertThat(e.reason()).contains("amount").contains("abc");
            assertThat(e.raw()).isEqualTo("2,abc");
        });
    }

    @Test
    void nonStrictModeLoadsNullForConversionFailures() throws Exception {
        broker.createTopic(topic, 1);
        Topics.produce(broker, topic, 1, List.of("1,10", "2,abc"));
        sql("CREATE TABLE lenient_t (id INT, amount INT)");
        jobs.execute("""
                CREATE ROUTINE LOAD lenient_job ON lenient_t COLUMNS TERMINATED BY ","
                FROM KAFKA ("kafka_broker_list" = "%s", "kafka_topic" = "%s",
                            "property.kafka_default_offsets" = "OFFSET_BEGINNING")""".formatted(
                broker.bootstrapServers(), topic));
        awaitSettled("lenient_job", 2);

        List<List<Object>> rows = query("SELECT id, amount FROM lenient_t ORDER BY id");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get(1)).isNull();
        assertThat(job("lenient_job").statistics().errorRows()).isZero();
    }

    @Test
    void onePercentMalformedMessagesAreCountedAndTheRestLoads() throws Exception {
        broker.createTopic(topic, 2);
        List<String> messages = new ArrayList<>(usersMessages(2000));
        for (int i = 50; i < 2000; i += 100) {
            messages.set(i, "{\"userid\": \"broken\", ");
        }
        Topics.produce(broker, topic, 2, messages);
        sql("CREATE TABLE users_errors (userid VARCHAR(50), regionid VARCHAR(50), gender VARCHAR(50), dt TIMESTAMP)");
        jobs.execute(seed001Statement("errors_job", "users_errors").replace("PROPERTIES (",
                "PROPERTIES ('max_error_number'='100', "));
        awaitSettled("errors_job", 2000);

        assertThat(count("users_errors")).isEqualTo(1980);
        RoutineLoadJob job = job("errors_job");
        assertThat(job.statistics().errorRows()).isEqualTo(20);
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.errorLog().entries()).hasSize(20).allSatisfy(e -> {
            assertThat(e.reason()).containsIgnoringCase("json");
            assertThat(e.raw()).isEqualTo("{\"userid\": \"broken\", ");
        });
    }

    @Test
    void crossingMaxErrorNumberPausesTheJobAndLosesNothing() throws Exception {
        broker.createTopic(topic, 1);
        List<String> messages = new ArrayList<>(usersMessages(500));
        for (int i = 10; i < 500; i += 50) {
            messages.set(i, "not json at all");
        }
        Topics.produce(broker, topic, 1, messages);
        sql("CREATE TABLE users_pause (userid VARCHAR(50), regionid VARCHAR(50), gender VARCHAR(50), dt TIMESTAMP)");
        jobs.execute(seed001Statement("pause_job", "users_pause").replace("PROPERTIES (",
                "PROPERTIES ('max_error_number'='3', "));
        RoutineLoadJob job = job("pause_job");
        Await.until(Duration.ofSeconds(60), () -> job.state() == JobState.PAUSED, () -> "the job to pause");

        assertThat(job.record().reason()).contains("max_error_number 3 exceeded").contains("partition 0");
        assertThat(count("users_pause")).isZero();

        jobs.execute("ALTER ROUTINE LOAD FOR pause_job PROPERTIES ('max_error_number' = '1000')");
        jobs.execute("RESUME ROUTINE LOAD FOR pause_job");
        awaitSettled("pause_job", 500);
        assertThat(count("users_pause")).isEqualTo(490);
        assertThat(job("pause_job").statistics().errorRows()).isEqualTo(10);
    }

    @Test
    void explicitPartitionsStartAtTheirKafkaOffsets() throws Exception {
        broker.createTopic(topic, 3);
        Topics.produce(broker, topic, 3, usersMessages(300)); // 100 per partition
        sql("CREATE TABLE users_offsets (userid VARCHAR(50), regionid VARCHAR(50), gender VARCHAR(50), dt TIMESTAMP)");
        jobs.execute(seed001Statement("offsets_job", "users_offsets").replace(
                "'property.kafka_default_offsets'='OFFSET_BEGINNING'",
                "'kafka_partitions'='0,2', 'kafka_offsets'='40,OFFSET_BEGINNING'"));
        awaitSettled("offsets_job", 160);

        assertThat(count("users_offsets")).isEqualTo(160);
        assertThat(showRow("offsets_job").get("Progress")).isEqualTo("{\"0\":\"99\",\"2\":\"99\"}");
        // partition 1 is not read; partition 0 starts at offset 40 (message 120 is partition 0's offset 40)
        assertThat(query("SELECT count(*) FROM users_offsets WHERE userid IN ('User_117', 'User_120', 'User_1')")
                .get(0).get(0)).satisfies(n -> assertThat(((Number) n).longValue()).isEqualTo(1));
    }

    @Test
    void aBatchAboveMaxFilterRatioPausesTheJob() throws Exception {
        broker.createTopic(topic, 1);
        List<String> messages = new ArrayList<>(usersMessages(100));
        for (int i = 0; i < 100; i += 4) {
            messages.set(i, "{oops");
        }
        Topics.produce(broker, topic, 1, messages);
        sql("CREATE TABLE users_ratio (userid VARCHAR(50), regionid VARCHAR(50), gender VARCHAR(50), dt TIMESTAMP)");
        jobs.execute(seed001Statement("ratio_job", "users_ratio").replace("PROPERTIES (",
                "PROPERTIES ('max_error_number'='1000', 'max_filter_ratio'='0.1', "));
        RoutineLoadJob job = job("ratio_job");
        Await.until(Duration.ofSeconds(60), () -> job.state() == JobState.PAUSED, () -> "the job to pause");

        assertThat(job.record().reason()).contains("max_filter_ratio 0.1000 exceeded").contains("25 of 100 rows");
        assertThat(count("users_ratio")).isZero();
    }

    @Test
    void aMissingTargetTableIsAClearError() {
        broker.createTopic(topic, 1);
        assertThatThrownBy(() -> jobs.execute(seed001Statement("orphan_job", "no_such_table")))
                .isInstanceOf(JobException.class)
                .hasMessageContaining("table no_such_table does not exist");
        assertThat(jobs.jobs()).isEmpty();
    }

    @Test
    void restartResumesFromTheCommittedPositionsExactlyOnce() throws Exception {
        broker.createTopic(topic, 3);
        Topics.produce(broker, topic, 3, usersMessages(1500));
        sql("CREATE TABLE users_restart (userid VARCHAR(50), regionid VARCHAR(50), gender VARCHAR(50), dt TIMESTAMP)");
        jobs.execute(seed001Statement("restart_job", "users_restart"));
        awaitSettled("restart_job", 1500);
        jobs.close();
        warehouse.close();

        Topics.produce(broker, topic, 3, usersMessages(3000).subList(1500, 3000));
        warehouse = openWarehouse();
        jobs = new JobManager(warehouse, defaultDb(), Clock.systemUTC(), 8);
        jobs.restore();
        awaitSettled("restart_job", 3000);

        assertThat(count("users_restart")).isEqualTo(3000);
        assertThat(query("SELECT count(DISTINCT userid) FROM users_restart").get(0).get(0))
                .satisfies(n -> assertThat(((Number) n).longValue()).isEqualTo(3000));
        assertThat(showRow("restart_job").get("Statistic")).contains("\"loadedRows\":3000");
    }
}
