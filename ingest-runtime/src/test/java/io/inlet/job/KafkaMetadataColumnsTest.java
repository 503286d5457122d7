package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kafka message's key, headers, timestamp, partition and offset as columns and in WHERE, on a real broker,
 * into each kind of warehouse; on Stream Load such a job is decoded in Inlet, and SHOW says why.
 */
class KafkaMetadataColumnsTest {

    static EmbeddedKafkaBroker broker;
    static EmbeddedPostgres pg;
    static int topics;

    @TempDir
    Path dir;
    TestSink sink;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        pg = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stop() {
        pg.close();
        broker.close();
    }

    @AfterEach
    void close() throws Exception {
        if (sink != null) {
            sink.close();
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(TestSink.Kind.class)
    void keyHeadersTimestampPartitionAndOffsetAsColumnsAndInWhere(TestSink.Kind kind) throws Exception {
        sink = TestSink.open(kind, dir, pg);
        String topic = "meta_" + kind.name().toLowerCase() + "_" + (++topics);
        broker.createTopic(topic, 2, Map.of("retention.ms", "-1")); // 2017 timestamps: no time-based retention
        long t0 = 1_493_987_388_929L;
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, i % 2, t0 + i * 1000L,
                    i == 3 ? null : utf8("User_" + i), utf8("{\"userid\":\"User_" + i + "\",\"regionid\":\"Region_" + (i % 9)
                    + "\"}"));
            r.headers().add(new RecordHeader("source", utf8(i % 4 == 0 ? "test" : "web")));
            r.headers().add(new RecordHeader("trace", utf8("t" + i)));
            records.add(r);
        }
        Topics.send(broker, records);
        sink.createTable("users_meta", "userid VARCHAR(50)", "regionid VARCHAR(50)", "k VARCHAR(50)",
                "src VARCHAR(20)", "trace VARCHAR(20)", "ts TIMESTAMP", "ts_type VARCHAR(20)", "p BIGINT", "o BIGINT");
        sink.jobs.execute("""
                CREATE ROUTINE LOAD users_meta_job ON users_meta
                COLUMNS(userid, regionid, k = kafka_key(), src = kafka_header('source'), trace = kafka_header('trace'),
                        ts = kafka_timestamp(), ts_type = kafka_timestamp_type(), p = kafka_partition(),
                        o = kafka_offset())
                WHERE kafka_header('source') != 'test'
                PROPERTIES ('format'='json', 'max_batch_interval'='1')
                """ + TestSink.fromKafka(broker, topic, ""));
        Await.until(Duration.ofSeconds(60), () -> sink.job("users_meta_job").statistics().totalRows() >= 40,
                () -> "40 rows settled; " + sink.job("users_meta_job").statistics().asMap() + " "
                        + sink.job("users_meta_job").record().reason());
        Await.until(Duration.ofSeconds(30), () -> sink.rows("users_meta").size() >= 30, () -> "30 rows in the table");

        List<Map<String, Object>> rows = new ArrayList<>(sink.rows("users_meta"));
        rows.sort(Comparator.comparing(r -> (LocalDateTime) r.get("ts")));
        assertThat(rows).hasSize(30); // every fourth message has source=test and is unselected
        Map<String, Object> first = rows.get(0); // User_1: partition 1, its first message
        assertThat(first).containsEntry("userid", "User_1").containsEntry("k", "User_1").containsEntry("src", "web")
                .containsEntry("trace", "t1").containsEntry("ts_type", "CreateTime").containsEntry("p", 1L)
                .containsEntry("o", 0L).containsEntry("ts", LocalDateTime.of(2017, 5, 5, 12, 29, 49, 929_000_000));
        Map<String, Object> noKey = rows.stream().filter(r -> "User_3".equals(r.get("userid"))).findFirst().orElseThrow();
        assertThat(noKey.get("k")).isNull();
        assertThat(noKey).containsEntry("p", 1L).containsEntry("o", 1L);
        assertThat(rows).noneMatch(r -> "test".equals(r.get("src")));
        assertThat(sink.job("users_meta_job").statistics().unselectedRows()).isEqualTo(10);

        Map<String, String> shown = sink.show("users_meta_job");
        assertThat(shown.get("JobProperties"))
                .contains("k=kafka_key()", "src=kafka_header('source')", "ts=kafka_timestamp()",
                        "ts_type=kafka_timestamp_type()", "p=kafka_partition()", "o=kafka_offset()")
                .contains("\"whereExpr\":\"kafka_header('source') != 'test'\"");
        if (kind == TestSink.Kind.STREAMLOAD) {
            assertThat(shown.get("JobProperties")).contains("decode in Inlet")
                    .contains("COLUMNS/WHERE read Kafka metadata, which Stream Load cannot: kafka_key()");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestSink.Kind.class, names = "DUCKDB")
    void aMisspelledOrMisusedMetadataFunctionIsRefusedWithItsPosition(TestSink.Kind kind) throws Exception {
        sink = TestSink.open(kind, dir, pg);
        sink.createTable("t", "k VARCHAR(20)");
        assertThatThrownBy(() -> sink.jobs.execute("CREATE ROUTINE LOAD j ON t\nCOLUMNS(x, k = kafka_header())\n"
                + "PROPERTIES ('format'='json') " + TestSink.fromKafka(broker, "nowhere", "")))
                .hasMessageContaining("line 2, column 16: function 'kafka_header' expects 1 argument, got 0");
    }
}
