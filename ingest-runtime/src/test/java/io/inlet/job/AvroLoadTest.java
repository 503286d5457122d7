package io.inlet.job;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.testkit.ApicurioRegistry;
import io.inlet.testkit.Await;
import io.inlet.testkit.AvroWire;
import io.inlet.testkit.CuttableProxy;
import io.inlet.testkit.EmbeddedPostgres;
import io.inlet.testkit.Topics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Avro in Confluent's wire format, schemas from a real registry (Apicurio, basic auth), from a real broker into
 * DuckDB, PostgreSQL and the Stream Load test server: seed 001's users, schema evolution mid-topic, a malformed
 * message, Kafka metadata columns, and the registry going away and coming back.
 */
class AvroLoadTest {

    static final String USERS = """
            {"type":"record","name":"users","namespace":"ksql","fields":[
              {"name":"registertime","type":"long"},{"name":"userid","type":"string"},
              {"name":"regionid","type":"string"},{"name":"gender","type":"string"}]}""";

    static EmbeddedKafkaBroker broker;
    static EmbeddedPostgres pg;
    static ApicurioRegistry registry;
    static int topics;

    @TempDir
    Path dir;
    TestSink sink;

    @BeforeAll
    static void start() {
        registry = ApicurioRegistry.get();
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

    static String newTopic(String base, int partitions) {
        String topic = base + "_" + (++topics) + "_" + System.nanoTime();
        // the messages carry 2023 timestamps: time-based retention would delete them at its next check
        broker.createTopic(topic, partitions, Map.of("retention.ms", "-1"));
        return topic;
    }

    static GenericRecord user(Schema schema, int i) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("registertime", 1_493_987_388_929L + i * 1000L);
        r.put("userid", "User_" + i);
        r.put("regionid", "Region_" + (i % 9));
        r.put("gender", i % 2 == 0 ? "MALE" : "FEMALE");
        return r;
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, String key, byte[] value) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, partition, 1_700_000_000_000L,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        r.headers().add(new RecordHeader("source", "avro-test".getBytes(StandardCharsets.UTF_8)));
        return r;
    }

    void awaitTotal(String job, long rows) {
        Await.until(Duration.ofSeconds(90), () -> sink.job(job).statistics().totalRows() >= rows,
                () -> job + " to settle " + rows + " rows; " + sink.job(job).statistics().asMap() + "; state "
                        + sink.job(job).state() + " " + sink.job(job).record().reason());
    }

    void awaitRows(String table, long rows) {
        Await.until(Duration.ofSeconds(90), () -> sink.rows(table).size() >= rows,
                () -> table + " to hold " + rows + " rows");
    }

    @ParameterizedTest
    @EnumSource(TestSink.Kind.class)
    void seed001UsersInAvroWithKafkaMetadataColumns(TestSink.Kind kind) throws Exception {
        sink = TestSink.open(kind, dir, pg);
        String topic = newTopic("users_avro", 3);
        Schema schema = new Schema.Parser().parse(USERS);
        int id = registry.register(topic + "-value", USERS);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            records.add(record(topic, i % 3, "User_" + i, AvroWire.frame(id, user(schema, i))));
        }
        Topics.send(broker, records);
        sink.createTable("myusers2", "userid VARCHAR(50)", "regionid VARCHAR(50)", "gender VARCHAR(50)", "dt TIMESTAMP",
                "k VARCHAR(50)", "src VARCHAR(20)", "ts TIMESTAMP");
        sink.jobs.execute("""
                CREATE ROUTINE LOAD tutorials_users_avro ON myusers2
                COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000),
                        k = kafka_key(), src = kafka_header('source'), ts = kafka_timestamp())
                PROPERTIES ('format'='avro', 'jsonpaths'='["$.userid","$.regionid","$.gender","$.registertime"]')
                """ + TestSink.fromKafka(broker, topic,
                "'confluent.schema.registry.url'='" + registry.urlWithCredentials() + "'"));
        awaitTotal("tutorials_users_avro", 3000);
        awaitRows("myusers2", 3000);

        List<Map<String, Object>> rows = sink.rows("myusers2");
        assertThat(rows).hasSize(3000);
        Map<String, Object> u0 = rows.stream().filter(r -> "User_0".equals(r.get("userid"))).findFirst().orElseThrow();
        assertThat(u0).containsEntry("regionid", "Region_0").containsEntry("gender", "MALE")
                .containsEntry("dt", LocalDateTime.of(2017, 5, 5, 12, 29, 48)).containsEntry("k", "User_0")
                .containsEntry("src", "avro-test").containsEntry("ts", LocalDateTime.of(2023, 11, 14, 22, 13, 20));
        assertThat(sink.job("tutorials_users_avro").statistics().errorRows()).isZero();

        Map<String, String> shown = sink.show("tutorials_users_avro");
        assertThat(shown.get("JobProperties")).contains("\"format\":\"avro\"");
        assertThat(shown.get("CustomProperties"))
                .contains("\"confluent.schema.registry.url\":\"http://******@127.0.0.1:" + registry.port());
        assertThat(shown.toString()).doesNotContain(ApicurioRegistry.PASSWORD);
        if (kind == TestSink.Kind.STREAMLOAD) {
            assertThat(shown.get("JobProperties")).contains("decode in Inlet", "Avro is decoded in Inlet");
        }
    }

    @ParameterizedTest
    @EnumSource(TestSink.Kind.class)
    void schemaEvolutionMidTopicFieldAddedWithDefaultThenFieldRemoved(TestSink.Kind kind) throws Exception {
        sink = TestSink.open(kind, dir, pg);
        String topic = newTopic("evolving", 1);
        String subject = topic + "-value";
        Schema v1 = new Schema.Parser().parse(USERS);
        Schema v2 = new Schema.Parser().parse(USERS.replace("{\"name\":\"gender\",\"type\":\"string\"}]",
                "{\"name\":\"gender\",\"type\":\"string\"},{\"name\":\"level\",\"type\":\"string\",\"default\":\"bronze\"}]"));
        Schema v3 = new Schema.Parser().parse(USERS.replace("{\"name\":\"gender\",\"type\":\"string\"}]",
                "{\"name\":\"level\",\"type\":\"string\",\"default\":\"bronze\"}]"));
        int id1 = registry.register(subject, v1.toString());
        sink.createTable("evolving", "userid VARCHAR(50) NOT NULL", "gender VARCHAR(10)", "level VARCHAR(10)");
        sink.jobs.execute("CREATE ROUTINE LOAD evolving_job ON evolving COLUMNS(userid, gender, level) "
                + "PROPERTIES ('format'='avro', 'max_batch_interval'='1') " + TestSink.fromKafka(broker, topic,
                "'confluent.schema.registry.url'='" + registry.url() + "', "
                        + "'confluent.schema.registry.basic.auth.user.info'='" + ApicurioRegistry.USER + ":"
                        + ApicurioRegistry.PASSWORD + "'"));
        Topics.send(broker, IntStream.range(0, 10).mapToObj(i -> record(topic, 0, null, AvroWire.frame(id1, user(v1, i))))
                .toList());
        awaitTotal("evolving_job", 10);
        // mid-topic: a field added with a default, then a field removed
        int id2 = registry.register(subject, v2.toString());
        int id3 = registry.register(subject, v3.toString());
        List<ProducerRecord<byte[], byte[]>> later = new ArrayList<>();
        for (int i = 10; i < 20; i++) {
            GenericRecord r = user(v2, i);
            r.put("level", "gold");
            later.add(record(topic, 0, null, AvroWire.frame(id2, r)));
        }
        for (int i = 20; i < 30; i++) {
            GenericRecord r = new GenericData.Record(v3);
            r.put("registertime", 0L);
            r.put("userid", "User_" + i);
            r.put("regionid", "R");
            r.put("level", "silver");
            later.add(record(topic, 0, null, AvroWire.frame(id3, r)));
        }
        // and old writers go on: the reader schema (v3) supplies v1's missing level
        IntStream.range(30, 35).forEach(i -> later.add(record(topic, 0, null, AvroWire.frame(id1, user(v1, i)))));
        Topics.send(broker, later);
        awaitTotal("evolving_job", 35);
        awaitRows("evolving", 35);

        List<Map<String, Object>> rows = new ArrayList<>(sink.rows("evolving"));
        rows.sort(Comparator.comparing(r -> Integer.parseInt(((String) r.get("userid")).substring(5))));
        assertThat(rows.get(0)).containsEntry("gender", "MALE");
        assertThat(rows.get(0).get("level")).isNull(); // loaded before v2 existed: no reader schema had the field
        assertThat(rows.get(10)).containsEntry("gender", "MALE").containsEntry("level", "gold");
        assertThat(rows.get(20)).containsEntry("level", "silver");
        assertThat(rows.get(20).get("gender")).isNull();
        assertThat(rows.get(30)).containsEntry("gender", "MALE").containsEntry("level", "bronze");
        assertThat(sink.job("evolving_job").statistics().errorRows()).isZero();
    }

    @Test
    void aMalformedAvroMessageIsAnErrorRowWithPartitionAndOffsetAndTheRestLoads() throws Exception {
        sink = TestSink.open(TestSink.Kind.DUCKDB, dir, pg);
        String topic = newTopic("malformed", 1);
        Schema schema = new Schema.Parser().parse(USERS);
        int id = registry.register(topic + "-value", USERS);
        byte[] good = AvroWire.frame(id, user(schema, 1));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] value = i == 5 ? truncated : i == 9 ? "{\"userid\":\"json\"}".getBytes(StandardCharsets.UTF_8)
                    : AvroWire.frame(id, user(schema, i));
            records.add(record(topic, 0, null, value));
        }
        Topics.send(broker, records);
        sink.createTable("users_m", "userid VARCHAR(50)", "gender VARCHAR(10)");
        sink.jobs.execute("CREATE ROUTINE LOAD malformed_job ON users_m COLUMNS(userid, gender) "
                + "PROPERTIES ('format'='avro', 'max_error_number'='5') " + TestSink.fromKafka(broker, topic,
                "'confluent.schema.registry.url'='" + registry.urlWithCredentials() + "'"));
        awaitTotal("malformed_job", 20);
        awaitRows("users_m", 18);
        RoutineLoadJob job = sink.job("malformed_job");
        assertThat(job.statistics().errorRows()).isEqualTo(2);
        assertThat(job.statistics().loadedRows()).isEqualTo(18);
        assertThat(job.errorLog().entries()).extracting(e -> e.partition() + "@" + e.offset())
                .containsExactlyInAnyOrder("0@5", "0@9");
        assertThat(job.errorLog().entries()).anyMatch(e -> e.offset() == 5
                && e.reason().contains("malformed Avro message of schema id " + id));
        assertThat(job.errorLog().entries()).anyMatch(e -> e.offset() == 9
                && e.reason().contains("expected the magic byte 0x00"));
        assertThat(sink.rows("users_m")).extracting(r -> r.get("userid")).doesNotContain("User_5", "User_9");
    }

    @ParameterizedTest
    @EnumSource(value = TestSink.Kind.class, names = {"DUCKDB", "STREAMLOAD"})
    void registryDownKnownIdsKeepLoadingANewIdPausesUntilItIsBack(TestSink.Kind kind) throws Exception {
        sink = TestSink.open(kind, dir, pg);
        String topic = newTopic("outage", 2);
        String subject = topic + "-value";
        Schema v1 = new Schema.Parser().parse(USERS);
        int id1 = registry.register(subject, USERS);
        try (CuttableProxy proxy = new CuttableProxy(registry.port())) {
            String url = "http://" + ApicurioRegistry.USER + ":" + ApicurioRegistry.PASSWORD + "@127.0.0.1:" + proxy.port()
                    + "/apis/ccompat/v7";
            sink.createTable("outage", "userid VARCHAR(50)", "gender VARCHAR(10)");
            sink.jobs.execute("CREATE ROUTINE LOAD outage_job ON outage COLUMNS(userid, gender) "
                    + "PROPERTIES ('format'='avro', 'max_batch_interval'='1') "
                    + TestSink.fromKafka(broker, topic, "'confluent.schema.registry.url'='" + url + "'"));
            Topics.send(broker, IntStream.range(0, 100).mapToObj(i -> record(topic, i % 2, null,
                    AvroWire.frame(id1, user(v1, i)))).toList());
            awaitRows("outage", 100);

            proxy.cut(); // the registry is gone: a schema id already known keeps loading
            Topics.send(broker, IntStream.range(100, 200).mapToObj(i -> record(topic, i % 2, null,
                    AvroWire.frame(id1, user(v1, i)))).toList());
            awaitRows("outage", 200);

            // a new schema, registered while the job cannot reach the registry
            String v2Text = USERS.replace("{\"name\":\"gender\",\"type\":\"string\"}]",
                    "{\"name\":\"gender\",\"type\":\"string\"},{\"name\":\"level\",\"type\":\"string\",\"default\":\"b\"}]");
            Schema v2 = new Schema.Parser().parse(v2Text);
            int id2 = registry.register(subject, v2Text);
            Topics.send(broker, IntStream.range(200, 250).mapToObj(i -> {
                GenericRecord r = user(v2, i);
                r.put("level", "x");
                return record(topic, i % 2, null, AvroWire.frame(id2, r));
            }).toList());
            RoutineLoadJob job = sink.job("outage_job");
            Await.until(Duration.ofSeconds(60), () -> job.state() == JobState.PAUSED
                            && job.record().reason().contains("schema id " + id2),
                    () -> "the job to pause for schema id " + id2 + "; " + job.state() + " " + job.record().reason());
            String reason = job.record().reason();
            assertThat(reason).contains("Avro schema id " + id2 + " is not known yet")
                    .contains("http://******@127.0.0.1:" + proxy.port() + "/apis/ccompat/v7")
                    .contains("resumes automatically").doesNotContain(ApicurioRegistry.PASSWORD);
            assertThat(job.autoResumePending()).isTrue();
            assertThat(sink.show("outage_job").get("ReasonOfStateChanged")).contains("schema id " + id2);
            assertThat(sink.rows("outage")).hasSize(200); // nothing of the unfinished batch went in

            proxy.restore(); // the registry answers again: the job resumes by itself and loads the rest once
            awaitRows("outage", 250);
            Await.until(Duration.ofSeconds(60), () -> job.state() == JobState.RUNNING && job.statistics().totalRows() >= 250,
                    () -> "the job to run again; " + job.state() + " " + job.record().reason());
            assertThat(sink.rows("outage")).hasSize(250);
            assertThat(sink.rows("outage")).extracting(r -> r.get("userid")).doesNotHaveDuplicates();
        }
    }

    @Test
    void wrongRegistryCredentialsPauseTheJobUntilAUserActsAndAlterKeepsTheRegistry() throws Exception {
        sink = TestSink.open(TestSink.Kind.DUCKDB, dir, pg);
        String topic = newTopic("denied", 1);
        Schema v1 = new Schema.Parser().parse(USERS);
        int id = registry.register(topic + "-value", USERS);
        Topics.send(broker, IntStream.range(0, 10).mapToObj(i -> record(topic, 0, null, AvroWire.frame(id, user(v1, i))))
                .toList());
        sink.createTable("denied", "userid VARCHAR(50)", "gender VARCHAR(10)");
        sink.jobs.execute("CREATE ROUTINE LOAD denied_job ON denied COLUMNS(userid, gender) PROPERTIES ('format'='avro') "
                + TestSink.fromKafka(broker, topic, "'confluent.schema.registry.url'='" + registry.url() + "', "
                + "'confluent.schema.registry.basic.auth.user.info'='" + ApicurioRegistry.USER + ":wrong-pw'"));
        RoutineLoadJob job = sink.job("denied_job");
        Await.until(Duration.ofSeconds(60), () -> job.state() == JobState.PAUSED,
                () -> "the job to pause; " + job.state() + " " + job.record().reason());
        assertThat(job.record().reason()).contains("HTTP 401").contains("authentication failed")
                .doesNotContain("wrong-pw");
        assertThat(job.autoResumePending()).isFalse();
        assertThat(sink.show("denied_job").get("CustomProperties"))
                .contains("\"confluent.schema.registry.basic.auth.user.info\":\"******\"").doesNotContain("wrong-pw");

        // ALTER another property: the registry settings stay (StarRocks #21553 dropped the URL); then the password
        sink.jobs.execute("ALTER ROUTINE LOAD FOR denied_job PROPERTIES ('max_batch_interval' = '2')");
        assertThat(sink.show("denied_job").get("CustomProperties"))
                .contains("\"confluent.schema.registry.url\":\"" + registry.url() + "\"")
                .contains("confluent.schema.registry.basic.auth.user.info");
        sink.jobs.execute("ALTER ROUTINE LOAD FOR denied_job FROM KAFKA ('confluent.schema.registry.basic.auth.user.info' = '"
                + ApicurioRegistry.USER + ":" + ApicurioRegistry.PASSWORD + "')");
        assertThat(sink.show("denied_job").get("CustomProperties"))
                .contains("\"confluent.schema.registry.url\":\"" + registry.url() + "\"");
        sink.jobs.execute("RESUME ROUTINE LOAD FOR denied_job");
        awaitRows("denied", 10);
    }
}
