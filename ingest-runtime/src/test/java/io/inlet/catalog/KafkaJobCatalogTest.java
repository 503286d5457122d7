package io.inlet.catalog;

import io.inlet.config.RuntimeConfig;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.job.JobIdTakenException;
import io.inlet.job.JobRecord;
import io.inlet.job.JobState;
import io.inlet.testkit.Await;
import io.inlet.testkit.LogCapture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka job catalog on a real broker: what it keeps, across restarts, compaction, bad records and two runtimes. */
class KafkaJobCatalogTest {

    static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.123456789Z");
    static final AtomicInteger TOPICS = new AtomicInteger();

    static EmbeddedKafkaBroker broker;
    final List<KafkaJobCatalog> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.builder()
                .config("log.cleaner.backoff.ms", "100") // compaction within the test's patience
                .config("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024))
                .start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @AfterEach
    void closeCatalogs() {
        opened.forEach(KafkaJobCatalog::close);
    }

    static String newTopic() {
        return "_inlet_jobs_" + TOPICS.incrementAndGet();
    }

    static RuntimeConfig config(String topic) {
        return RuntimeConfig.of(Map.of("warehouse.type", "starrocks",
                "catalog.kafka.bootstrap-servers", broker.bootstrapServers(), "catalog.kafka.topic", topic));
    }

    KafkaJobCatalog open(String topic) throws Exception {
        KafkaJobCatalog catalog = KafkaJobCatalog.open(config(topic));
        opened.add(catalog);
        return catalog;
    }

    static JobRecord job(long id, String name) {
        return new JobRecord(id, "main", name, "CREATE ROUTINE LOAD main." + name + " ON t\n"
                + "FROM KAFKA (\"kafka_topic\" = \"" + name + "\")", JobState.NEED_SCHEDULE, "", CREATED, null, null);
    }

    @Test
    void recordsComeBackFieldForFieldNullsIncluded() throws Exception {
        String topic = newTopic();
        KafkaJobCatalog catalog = open(topic);
        assertThat(catalog.all()).isEmpty();
        assertThat(catalog.nextJobId()).isEqualTo(10_001);

        JobRecord scheduled = new JobRecord(10_001, "main", "users", "CREATE ROUTINE LOAD main.users ON t\n"
                + "PROPERTIES (\"format\" = \"json\", \"jsonpaths\" = \"[\\\"$.ü\\\"]\")", JobState.NEED_SCHEDULE, "",
                CREATED, null, null);
        JobRecord paused = new JobRecord(10_002, "db2", "orders", "CREATE ROUTINE LOAD db2.orders ON o",
                JobState.PAUSED, "authentication failed (\"x\"); check property.sasl.password", CREATED,
                Instant.parse("2025-03-04T06:00:00Z"), null);
        JobRecord stopped = new JobRecord(10_003, "db2", "gone", "CREATE ROUTINE LOAD db2.gone ON g",
                JobState.STOPPED, null, CREATED, Instant.parse("2025-03-04T06:00:00Z"),
                Instant.parse("2025-03-05T00:00:00.5Z"));
        JobRecord nothing = new JobRecord(10_004, null, null, null, JobState.CANCELLED, null, null, null, null);
        for (JobRecord r : List.of(scheduled, paused, stopped, nothing)) {
            catalog.insert(r);
        }

        assertThat(catalog.all()).containsExactly(scheduled, paused, stopped, nothing);
        assertThat(open(topic).all()).containsExactly(scheduled, paused, stopped, nothing);
    }

    @Test
    void aRestartReadsTheLatestStateAndTheIdsGoOn() throws Exception {
        String topic = newTopic();
        JobRecord users;
        JobRecord orders;
        try (KafkaJobCatalog first = KafkaJobCatalog.open(config(topic))) {
            users = job(first.nextJobId(), "users");
            first.insert(users);
            orders = job(first.nextJobId(), "orders");
            first.insert(orders);
            users = users.withState(JobState.PAUSED, "paused by the user", CREATED.plusSeconds(60), null);
            first.update(users);
            orders = orders.withStatement(orders.statement() + " -- altered");
            first.update(orders);
        }

        KafkaJobCatalog second = open(topic);

        assertThat(second.all()).containsExactly(users, orders);
        assertThat(second.nextJobId()).isEqualTo(10_003);
        second.insert(job(second.nextJobId(), "clicks"));
        assertThat(second.nextJobId()).isEqualTo(10_004);
        assertThatThrownBy(() -> second.insert(job(10_001, "again")))
                .isInstanceOf(CatalogException.class)
                .hasMessage("job id 10001 is taken in the job catalog topic '" + topic + "'");
        assertThatThrownBy(() -> second.update(job(20_000, "never")))
                .hasMessage("job id 20000 is not in the job catalog topic '" + topic + "'");
    }

    @Test
    void theTopicIsCreatedCompactedWithOnePartitionForTheOneBroker() throws Exception {
        String topic = newTopic();
        open(topic);

        try (Admin admin = broker.admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(1);
            assertThat(description.partitions().get(0).replicas()).hasSize(1);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            var config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("1");
        }
    }

    @Test
    void eachJobIsOneKeySoCompactionKeepsExactlyItsLatestState() throws Exception {
        String topic = newTopic();
        KafkaJobCatalog catalog = open(topic);
        JobRecord users = job(catalog.nextJobId(), "users");
        catalog.insert(users);
        for (JobState state : List.of(JobState.RUNNING, JobState.PAUSED, JobState.RUNNING, JobState.UNSTABLE)) {
            users = users.withState(state, "", null, null);
            catalog.update(users);
        }
        JobRecord orders = job(catalog.nextJobId(), "orders");
        catalog.insert(orders);
        assertThat(keys(topic)).containsExactly("10001", "10001", "10001", "10001", "10001", "10002");

        try (Admin admin = broker.admin()) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(
                    new AlterConfigOp(new ConfigEntry("segment.ms", "100"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("min.cleanable.dirty.ratio", "0.01"), AlterConfigOp.OpType.SET))))
                    .all().get();
            Await.until(Duration.ofSeconds(30), () -> "100".equals(admin.describeConfigs(List.of(resource)).all().get()
                    .get(resource).get("segment.ms").value()), () -> "segment.ms in force");
        }
        // the first write after segment.ms rolls the segment; the cleaner compacts all but the active one
        Thread.sleep(300);
        users = users.withState(JobState.STOPPED, "", CREATED, CREATED.plusSeconds(1));
        catalog.update(users);
        Thread.sleep(300);
        orders = orders.withState(JobState.PAUSED, "", CREATED, null);
        catalog.update(orders);

        // which of job 10002's two records survive depends on where the segments rolled; job 10001's latest alone does
        Await.until(Duration.ofSeconds(60), () -> {
            List<String> keys = keys(topic);
            return java.util.Collections.frequency(keys, "10001") == 1 && keys.get(keys.size() - 1).equals("10002");
        }, () -> "all but the latest record of job 10001 compacted away; keys now " + keys(topic));
        assertThat(open(topic).all()).containsExactlyInAnyOrder(users, orders);
    }

    @Test
    void aRecordThatIsNotAJobIsSkippedWithAWarningNamingWhereItIs() throws Exception {
        String topic = newTopic();
        open(topic).insert(job(10_001, "users"));
        String valid = new String(StoredJob.value(job(10_005, "orders")), StandardCharsets.UTF_8);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()), new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, 0, "10002", "{\"id\": 10002, \"state\": ")).get();
            producer.send(new ProducerRecord<>(topic, 0, "jobs", valid)).get();
            producer.send(new ProducerRecord<>(topic, 0, "10003", valid)).get();
            producer.send(new ProducerRecord<>(topic, 0, "10004", valid.replace("NEED_SCHEDULE", "SLEEPING")
                    .replace("10005", "10004"))).get();
            producer.send(new ProducerRecord<>(topic, 0, "10005", valid)).get();
        }

        KafkaJobCatalog reopened;
        String logged;
        try (LogCapture logs = new LogCapture(Map.of())) {
            reopened = open(topic);
            logged = logs.text();
        }

        assertThat(reopened.all()).containsExactly(job(10_001, "users"), job(10_005, "orders"));
        assertThat(reopened.nextJobId()).isEqualTo(10_006);
        String skipped = "WARN " + KafkaJobCatalog.class.getName() + " - job catalog topic '" + topic
                + "': skipped the record at partition 0, offset ";
        assertThat(logged).contains(skipped + "2: its value is not a JSON job record (line 1, column 24)")
                .contains(skipped + "3: its key is not a job id")
                .contains(skipped + "4: its value holds job id 10005, not its key's")
                .contains(skipped + "5: its state is not a job state")
                .doesNotContain("CREATE ROUTINE LOAD");
    }

    @Test
    void replicasEachWriteTheirChangesAndReadTheOthers() throws Exception {
        String topic = newTopic();
        KafkaJobCatalog first = open(topic);
        JobRecord users = job(first.nextJobId(), "users");
        first.insert(users);

        KafkaJobCatalog second = open(topic);
        assertThat(second.all()).containsExactly(users);
        JobRecord pausedBySecond = users.withState(JobState.PAUSED, "paused by user", CREATED, null);
        second.update(pausedBySecond);
        assertThat(first.all()).containsExactly(pausedBySecond);

        JobRecord orders = job(first.nextJobId(), "orders");
        first.insert(orders);
        JobRecord stoppedBySecond = orders.withState(JobState.STOPPED, "", CREATED, CREATED);
        second.update(stoppedBySecond); // a job second had not read yet
        assertThat(open(topic).all()).containsExactly(pausedBySecond, stoppedBySecond);
    }

    @Test
    void twoReplicasCreatingAtOnceUnderOneIdKeepTheEarlierJobAndTheLaterTriesAgain() throws Exception {
        String topic = newTopic();
        KafkaJobCatalog first = open(topic);
        KafkaJobCatalog second = open(topic);
        long id = first.nextJobId();
        assertThat(second.nextJobId()).isEqualTo(id);
        JobRecord users = job(id, "users");
        first.insert(users);
        assertThatThrownBy(() -> second.insert(job(id, "orders")))
                .isInstanceOf(JobIdTakenException.class)
                .hasMessage("job id " + id + " was taken by another replica's job main.users");
        assertThat(open(topic).all()).containsExactly(users);
        JobRecord orders = job(second.nextJobId(), "orders");
        assertThat(orders.id()).isEqualTo(id + 1);
        second.insert(orders);
        assertThat(first.all()).containsExactly(users, orders);
    }

    @Test
    void aTopicOfAnotherShapeIsRefusedWithWhatToDo() throws Exception {
        String partitioned = newTopic();
        broker.createTopic(partitioned, 3);
        assertThatThrownBy(() -> open(partitioned))
                .isInstanceOf(CatalogException.class)
                .hasMessage("the job catalog topic '" + partitioned + "' has 3 partitions; it needs exactly 1 (one order"
                        + " of writes): set catalog.kafka.topic to a topic that does not exist yet, and Inlet creates it");

        String deleting = newTopic();
        broker.createTopic(deleting, 1);
        assertThatThrownBy(() -> open(deleting))
                .isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("the job catalog topic '" + deleting + "' has cleanup.policy=delete; it needs"
                        + " cleanup.policy=compact, or jobs would be deleted with old segments");
    }

    /** The keys of the topic's committed records, oldest first. */
    static List<String> keys(String topic) {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new StringDeserializer())) {
            Collection<TopicPartition> partitions = List.of(partition);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long end = consumer.endOffsets(partitions).get(partition);
            List<String> keys = new ArrayList<>();
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
            }
            return keys;
        }
    }
}
