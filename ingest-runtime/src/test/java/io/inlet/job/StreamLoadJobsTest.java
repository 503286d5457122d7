package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routine Load jobs into StarRocks- and Doris-protocol tables of the Stream Load test server, from
 * a real Kafka broker: the seeds' jobs pushed down, restarts without duplicates, bad messages.
 */
class StreamLoadJobsTest {

    static EmbeddedKafkaBroker broker;
    StreamLoadFixture fixture;
    StreamLoadTestServer server;
    JobManager jobs;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private void open(Flavor flavor) {
        server = StreamLoadTestServer.builder(flavor).credentials("loader", "s3cret-pw").build();
        fixture = new StreamLoadFixture(broker, server);
        jobs = fixture.runtime();
    }

    private String topic(String base, int partitions) {
        return fixture.topic(base, partitions);
    }

    private RoutineLoadJob job(String name) {
        return StreamLoadFixture.job(jobs, name);
    }

    private void awaitRows(String table, long rows) {
        fixture.awaitRows(jobs, table, rows);
    }

    private Map<String, String> show(String name) throws Exception {
        return StreamLoadFixture.show(jobs, name);
    }

    static String users(int i) {
        return "{\"registertime\":" + (1_500_000_000_000L + i * 1000L) + ",\"userid\":\"User_" + i
                + "\",\"regionid\":\"Region_" + (i % 9) + "\",\"gender\":\"" + (i % 3 == 0 ? "FEMALE" : "MALE") + "\"}";
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void seed001JsonWithJsonpathsAndDerivedColumnIsPushedDown(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "myusers2", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT", "dt DATETIME");
        String topic = topic("users", 3);
        Topics.produce(broker, topic, 3, IntStream.range(0, 3000).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.tutorials_users_test2 ON myusers2
                COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))
                PROPERTIES ('format'='json', 'jsonpaths'='["$.userid","$.regionid","$.gender","$.registertime"]',
                            'max_batch_rows'='500')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("myusers2", 3000);
        List<Map<String, Object>> rows = new ArrayList<>(server.rows("example_db", "myusers2"));
        rows.sort(Comparator.comparing(r -> (Long) r.get("registertime")));
        assertThat(rows).hasSize(3000);
        assertThat(rows.get(0)).containsEntry("userid", "User_0").containsEntry("gender", "FEMALE");
        assertThat(String.valueOf(rows.get(0).get("dt"))).startsWith("2017-07-14T02:40");
        Map<String, String> shown = show("tutorials_users_test2");
        assertThat(shown.get("JobProperties")).contains("pushdown: Kafka messages forwarded unparsed")
                .contains("columns/jsonpaths as headers");
        Await.until(Duration.ofSeconds(10), () -> job("tutorials_users_test2").statistics().loadedRows() == 3000,
                () -> "statistics " + job("tutorials_users_test2").statistics().asMap());
        // every load was a prepared transaction under its own label, then committed
        assertThat(server.pendingTransactions("example_db")).isEmpty();
        assertThat(server.requests()).anyMatch(r -> r.headers().containsKey("columns")
                && r.headers().get("columns").contains("from_unixtime"));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void seed000CsvWithSeparatorIsPushedDown(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "example_tbl1", "order_id BIGINT NOT NULL", "pay_dt DATE",
                "customer_name VARCHAR(32)", "nationality VARCHAR(32)", "price DOUBLE");
        String topic = topic("ordertest1", 5);
        Topics.produce(broker, topic, 5, IntStream.range(0, 1000).mapToObj(i -> i + ",2023-0" + (1 + i % 9) + "-1" + (i % 10)
                + ",name " + i + ",country_" + (i % 7) + ",male," + (i * 1.5)).toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.example_tbl1_ordertest1 ON example_tbl1
                    COLUMNS TERMINATED BY ",",
                    COLUMNS (order_id, pay_dt, customer_name, nationality, temp_gender, price)
                    FROM KAFKA
                    (
                        "kafka_broker_list" ="%s",
                        "kafka_topic" = "%s",
                        "kafka_partitions" ="0,1,2,3,4",
                        "property.kafka_default_offsets" = "OFFSET_BEGINNING"
                    );
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("example_tbl1", 1000);
        Map<String, Object> row7 = server.rows("example_db", "example_tbl1").stream()
                .filter(r -> ((Long) r.get("order_id")) == 7).findFirst().orElseThrow();
        assertThat(row7).containsEntry("customer_name", "name 7").containsEntry("nationality", "country_0")
                .containsEntry("price", 10.5);
        assertThat(String.valueOf(row7.get("pay_dt"))).isEqualTo("2023-08-17");
        assertThat(show("example_tbl1_ordertest1").get("JobProperties")).contains("CSV rows joined by the row delimiter");
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void seed000JsonWithFormattedFromUnixtime(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "example_tbl2", "commodity_id VARCHAR(26) NOT NULL",
                "customer_name VARCHAR(26)", "country VARCHAR(26)", "pay_time BIGINT", "pay_dt DATE", "price DOUBLE");
        String topic = topic("ordertest2", 5);
        Topics.produce(broker, topic, 5, IntStream.range(0, 500).mapToObj(i -> "{\"commodity_id\":\"" + i
                + "\",\"customer_name\":\"Mark Twain\",\"country\":\"US\",\"pay_time\":" + (1589191487L + i * 86400L)
                + ",\"price\":" + (875 + i) + "}").toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.example_tbl2_ordertest2 ON example_tbl2
                COLUMNS(commodity_id, customer_name, country, pay_time, price, pay_dt=from_unixtime(pay_time, '%%Y%%m%%d'))
                PROPERTIES
                (
                    "format" ="json",
                    "jsonpaths" ="[\\"$.commodity_id\\",\\"$.customer_name\\",\\"$.country\\",\\"$.pay_time\\",\\"$.price\\"]"
                )
                FROM KAFKA
                (
                    "kafka_broker_list" ="%s",
                    "kafka_topic" = "%s",
                    "kafka_partitions" ="0,1,2,3,4",
                    "property.kafka_default_offsets" = "OFFSET_BEGINNING"
                );
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("example_tbl2", 500);
        Map<String, Object> first = server.rows("example_db", "example_tbl2").stream()
                .filter(r -> r.get("commodity_id").equals("0")).findFirst().orElseThrow();
        assertThat(String.valueOf(first.get("pay_dt"))).isEqualTo("2020-05-11");
        assertThat(first).containsEntry("price", 875.0);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void seed002StockJsonIntoStockTable(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "stock", "event_time DATETIME NOT NULL", "ticker VARCHAR(12)", "price DOUBLE");
        String topic = topic("stock", 2);
        String[] tickers = {"AAPL", "AMZN", "MSFT", "INTC", "TBV"};
        Topics.produce(broker, topic, 2, IntStream.range(0, 800).mapToObj(i -> "{\"event_time\":\"2023-03-0"
                + (1 + i % 9) + " 10:" + String.format("%02d", i % 60) + ":00\",\"ticker\":\"" + tickers[i % 5]
                + "\",\"price\":" + (i / 10.0) + "}").toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.stock_job ON stock
                COLUMNS(event_time, ticker, price)
                PROPERTIES ("format"="json", "jsonpaths"="[\\"$.event_time\\",\\"$.ticker\\",\\"$.price\\"]")
                FROM KAFKA ("kafka_broker_list"="%s", "kafka_topic"="%s",
                            "property.kafka_default_offsets"="OFFSET_BEGINNING")
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("stock", 800);
        assertThat(server.rows("example_db", "stock")).filteredOn(r -> "AAPL".equals(r.get("ticker"))).hasSize(160);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void restartResumesWithoutDuplicates(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "users_restart", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT");
        String topic = topic("users", 3);
        Topics.produce(broker, topic, 3, IntStream.range(0, 1500).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.restart_job ON users_restart
                PROPERTIES ('format'='json', 'max_batch_rows'='200')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("users_restart", 1500);
        jobs.close();
        Topics.produce(broker, topic, 3, IntStream.range(1500, 3000).mapToObj(StreamLoadJobsTest::users).toList());
        jobs = fixture.runtime();
        jobs.restore();
        awaitRows("users_restart", 3000);
        Await.caughtUp(job("restart_job"), broker, topic);
        List<Map<String, Object>> rows = server.rows("example_db", "users_restart");
        assertThat(rows).hasSize(3000);
        assertThat(rows.stream().map(r -> r.get("userid")).distinct().count()).isEqualTo(3000);
        assertThat(job("restart_job").statistics().loadedRows()).isEqualTo(3000);
        assertThat(server.pendingTransactions("example_db")).isEmpty();
    }

    /**
     * StarRocks forgets finished labels by count ({@code label_keep_max_num}, here 5): a paused job that falls behind,
     * whose last labels another job's loads then evict, resumes after a restart with nothing loaded twice, because its
     * positions were written down when it paused instead of being left to the labels.
     */
    @Test
    void aJobPausedBehindWhoseLabelsAreEvictedResumesAfterARestartWithNothingTwice() throws Exception {
        server = StreamLoadTestServer.builder(Flavor.STARROCKS).credentials("loader", "s3cret-pw").labelKeepMaxNum(5)
                .build();
        fixture = new StreamLoadFixture(broker, server);
        jobs = fixture.runtime();
        server.createTable("example_db", "evicted_t", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT");
        server.createTable("example_db", "evicting_t", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT");
        String behind = topic("behind", 1);
        String other = topic("other", 1);
        Topics.produce(broker, behind, 1, IntStream.range(0, 3000).mapToObj(StreamLoadJobsTest::users).toList());
        String create = """
                CREATE ROUTINE LOAD example_db.%s ON %s
                PROPERTIES ('format'='json', 'max_batch_rows'='200')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """;
        jobs.execute(create.formatted("behind_job", "evicted_t", broker.bootstrapServers(), behind));
        Await.until(Duration.ofSeconds(60), () -> server.rowCount("example_db", "evicted_t") >= 1000,
                () -> "1000 rows of behind_job");
        jobs.execute("PAUSE ROUTINE LOAD FOR example_db.behind_job");
        Topics.produce(broker, behind, 1, IntStream.range(3000, 6000).mapToObj(StreamLoadJobsTest::users).toList());
        try (Admin admin = broker.admin()) {
            assertThat(admin.listConsumerGroupOffsets("inlet_example_db_behind_job").partitionsToOffsetAndMetadata()
                    .get().values()).as("positions written down at PAUSE, with no intent that needs a label")
                    .allSatisfy(o -> assertThat(o.metadata()).doesNotContain("\"to\""));
        }

        Topics.produce(broker, other, 1, IntStream.range(0, 2000).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute(create.formatted("evicting_job", "evicting_t", broker.bootstrapServers(), other));
        awaitRows("evicting_t", 2000); // ten labels or more in the same database: behind_job's are forgotten
        assertThat(server.requests()).isNotEmpty();

        jobs.close();
        jobs = fixture.runtime();
        jobs.restore();
        jobs.execute("RESUME ROUTINE LOAD FOR example_db.behind_job");
        awaitRows("evicted_t", 6000);
        Await.caughtUp(job("behind_job"), broker, behind);
        List<Map<String, Object>> rows = server.rows("example_db", "evicted_t");
        assertThat(rows).hasSize(6000);
        assertThat(rows.stream().map(r -> r.get("userid")).distinct().count()).isEqualTo(6000);
        assertThat(server.pendingTransactions("example_db")).isEmpty();
    }

    /**
     * Kafka deletes a consumer group's offsets once the group has had no member for offsets.retention.minutes (here
     * 1): a job paused for longer resumes from the positions archived in its catalog, not from kafka_default_offsets.
     */
    @Test
    void aJobPausedForLongerThanTheOffsetRetentionResumesFromItsArchivedPositions() throws Exception {
        try (EmbeddedKafkaBroker forgetful = EmbeddedKafkaBroker.builder().config("offsets.retention.minutes", "1")
                .config("offsets.retention.check.interval.ms", "1000").start()) {
            server = StreamLoadTestServer.builder(Flavor.STARROCKS).credentials("loader", "s3cret-pw").build();
            fixture = new StreamLoadFixture(forgetful, server);
            jobs = fixture.runtime();
            try {
                loadPauseForgetAndResume(forgetful);
            } finally {
                fixture.close(); // before its broker
                fixture = null;
            }
        }
    }

    private void loadPauseForgetAndResume(EmbeddedKafkaBroker forgetful) throws Exception {
        server.createTable("example_db", "retained_t", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT");
        String topic = fixture.topic("retained", 2);
        Topics.produce(forgetful, topic, 2, IntStream.range(0, 1000).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.retained_job ON retained_t
                PROPERTIES ('format'='json')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(forgetful.bootstrapServers(), topic));
        awaitRows("retained_t", 1000);
        Await.caughtUp(job("retained_job"), forgetful, topic);
        jobs.execute("PAUSE ROUTINE LOAD FOR example_db.retained_job");
        try (Admin admin = forgetful.admin()) {
            Await.until(Duration.ofSeconds(150), () -> admin.listConsumerGroupOffsets("inlet_example_db_retained_job")
                            .partitionsToOffsetAndMetadata().get().isEmpty(),
                    () -> "Kafka to delete the paused job's group offsets");
        }
        Topics.produce(forgetful, topic, 2, IntStream.range(1000, 1500).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute("RESUME ROUTINE LOAD FOR example_db.retained_job");
        awaitRows("retained_t", 1500);
        Await.caughtUp(job("retained_job"), forgetful, topic);
        List<Map<String, Object>> rows = server.rows("example_db", "retained_t");
        assertThat(rows).hasSize(1500);
        assertThat(rows.stream().map(r -> r.get("userid")).distinct().count()).isEqualTo(1500);
    }

    /** The job's consumer group holds its positions: a job created again under the same name continues from them. */
    @Test
    void aJobCreatedAgainUnderAStoppedJobsNameContinuesFromItsConsumerGroup() throws Exception {
        open(Flavor.STARROCKS);
        server.createTable("example_db", "users_recreated", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT");
        String topic = topic("users", 3);
        Topics.produce(broker, topic, 3, IntStream.range(0, 600).mapToObj(StreamLoadJobsTest::users).toList());
        String create = """
                CREATE ROUTINE LOAD example_db.recreated_job ON users_recreated
                PROPERTIES ('format'='json')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(broker.bootstrapServers(), topic);
        jobs.execute(create);
        awaitRows("users_recreated", 600);
        jobs.execute("STOP ROUTINE LOAD FOR example_db.recreated_job");
        Topics.produce(broker, topic, 3, IntStream.range(600, 900).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute(create);
        awaitRows("users_recreated", 900);
        Await.caughtUp(job("recreated_job"), broker, topic);
        List<Map<String, Object>> rows = server.rows("example_db", "users_recreated");
        assertThat(rows).hasSize(900);
        assertThat(rows.stream().map(r -> r.get("userid")).distinct().count()).isEqualTo(900);
        assertThat(server.pendingTransactions("example_db")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void alterBackToEarlierOffsetsLoadsThatRangeAgainUnderNewLabels(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "users_again", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT");
        String topic = topic("users", 1);
        Topics.produce(broker, topic, 1, IntStream.range(0, 400).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.again_job ON users_again
                PROPERTIES ('format'='json')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s', 'kafka_partitions'='0',
                            'kafka_offsets'='OFFSET_BEGINNING')
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("users_again", 400);
        jobs.execute("PAUSE ROUTINE LOAD FOR example_db.again_job");
        // the same start offset as the first batch: a new epoch makes new labels, so it is not "already loaded"
        jobs.execute("ALTER ROUTINE LOAD FOR example_db.again_job FROM KAFKA ('kafka_partitions'='0', 'kafka_offsets'='0')");
        jobs.execute("RESUME ROUTINE LOAD FOR example_db.again_job");
        awaitRows("users_again", 800);
        assertThat(server.rows("example_db", "users_again").stream().filter(r -> "User_0".equals(r.get("userid"))))
                .hasSize(2);
        assertThat(job("again_job").state()).isEqualTo(JobState.RUNNING);
        assertThat(server.pendingTransactions("example_db")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void malformedMessagesAreLoggedWithPartitionAndOffsetAndTheRestLoads(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "users_bad", "userid VARCHAR(64) NOT NULL", "regionid VARCHAR(64)",
                "gender VARCHAR(16)", "registertime BIGINT");
        String topic = topic("users", 1);
        List<String> messages = new ArrayList<>(IntStream.range(0, 200).mapToObj(StreamLoadJobsTest::users).toList());
        messages.set(50, "{\"userid\":\"User_50\",\"regionid\":");
        messages.set(120, "not json at all");
        Topics.produce(broker, topic, 1, messages);
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.bad_job ON users_bad
                PROPERTIES ('format'='json', 'max_error_number'='10')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("users_bad", 198);
        RoutineLoadJob job = job("bad_job");
        Await.until(Duration.ofSeconds(10), () -> job.statistics().errorRows() == 2, () -> "2 error rows: "
                + job.statistics().asMap());
        assertThat(job.errorLog().entries()).extracting(e -> e.partition() + "@" + e.offset())
                .containsExactlyInAnyOrder("0@50", "0@120");
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void whereIsPushedDownAndUnselectedRowsAreCounted(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "users_women", "userid VARCHAR(64) NOT NULL", "gender VARCHAR(16)");
        String topic = topic("users", 2);
        Topics.produce(broker, topic, 2, IntStream.range(0, 900).mapToObj(StreamLoadJobsTest::users).toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.women ON users_women
                COLUMNS(userid, gender), WHERE gender = 'FEMALE'
                PROPERTIES ('format'='json')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(broker.bootstrapServers(), topic));
        RoutineLoadJob job = job("women");
        Await.until(Duration.ofSeconds(60), () -> job.statistics().totalRows() == 900,
                () -> "900 rows settled: " + job.statistics().asMap() + " " + job.record().reason());
        assertThat(server.rowCount("example_db", "users_women")).isEqualTo(300);
        assertThat(job.statistics().unselectedRows()).isEqualTo(600);
        assertThat(job.statistics().loadedRows()).isEqualTo(300);
        assertThat(server.requests()).anyMatch(r -> "`gender` = 'FEMALE'".equals(r.headers().get("where"))
                || "gender = 'FEMALE'".equals(r.headers().get("where")));
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void csvWithEncloseIsDecodedInInletAndSentAsJsonRows(Flavor flavor) throws Exception {
        open(flavor);
        server.createTable("example_db", "quoted", "id BIGINT NOT NULL", "name VARCHAR(64)", "amount DECIMAL(10,2)");
        String topic = topic("quoted", 1);
        Topics.produce(broker, topic, 1, IntStream.range(0, 100).mapToObj(i -> i + ",\"Smith, J" + i + "\"," + i + ".25")
                .toList());
        jobs.execute("""
                CREATE ROUTINE LOAD example_db.quoted_job ON quoted
                COLUMNS TERMINATED BY ",", COLUMNS(id, name, amount)
                PROPERTIES ('format'='csv', 'enclose'='"')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(broker.bootstrapServers(), topic));
        awaitRows("quoted", 100);
        Map<String, Object> r3 = server.rows("example_db", "quoted").stream()
                .filter(r -> ((Long) r.get("id")) == 3).findFirst().orElseThrow();
        assertThat(r3).containsEntry("name", "Smith, J3");
        assertThat(String.valueOf(r3.get("amount"))).isEqualTo("3.25");
        assertThat(show("quoted_job").get("JobProperties")).contains("decode in Inlet");
    }
}
