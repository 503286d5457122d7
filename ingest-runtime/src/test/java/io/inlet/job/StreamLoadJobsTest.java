package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.sink.streamload.StreamLoadWarehouse;
import io.inlet.sql.JobRef;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.testkit.Await;
import io.inlet.testkit.MemoryJobCatalog;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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
    StreamLoadTestServer server;
    MemoryJobCatalog catalog;
    JobManager jobs;
    int topicSeq;

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
        if (jobs != null) {
            jobs.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void open(Flavor flavor) {
        server = StreamLoadTestServer.builder(flavor).credentials("loader", "s3cret-pw").build();
        catalog = new MemoryJobCatalog();
        jobs = runtime();
    }

    /** A runtime of Inlet against the test server, sharing the catalog (a restart makes a new one). */
    private JobManager runtime() {
        StreamLoadWarehouse w = new StreamLoadWarehouse(server.clientConfig("example_db", "_").build(), catalog);
        return new JobManager(w, "example_db", Clock.systemUTC(), 8);
    }

    private String topic(String base, int partitions) {
        String t = base + "_" + (++topicSeq) + "_" + System.nanoTime();
        broker.createTopic(t, partitions);
        return t;
    }

    private RoutineLoadJob job(String name) {
        return jobs.findAny(new JobRef("example_db", name)).orElseThrow();
    }

    private void awaitRows(String table, long rows) {
        Await.until(Duration.ofSeconds(60), () -> server.rowCount("example_db", table) >= rows,
                () -> table + " to hold " + rows + " rows; has " + server.rowCount("example_db", table) + "; jobs "
                        + jobs.jobs().stream().map(j -> j.record().name() + " " + j.state() + " " + j.record().reason()
                        + " " + j.otherMsg()).toList());
    }

    private Map<String, String> show(String name) throws Exception {
        SqlResult r = jobs.execute("SHOW ROUTINE LOAD FOR " + name);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i), String.valueOf(r.rows().get(0).get(i)));
        }
        return m;
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
}
