package io.inlet.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.source.kafka.KafkaSource;
import io.inlet.sql.JobRef;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.LabelState;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import io.inlet.streamload.testserver.StreamLoadTestServer.Fault;
import io.inlet.streamload.testserver.StreamLoadTestServer.RecordedRequest;
import io.inlet.streamload.testserver.StreamLoadTestServer.TransactionView;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static io.inlet.job.StreamLoadFixture.DB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 6: Stream Load jobs under warehouse faults — failed, dropped and timed-out requests, lost
 * commit answers, FE failover, a moment and a minute without any FE, version pressure, a zombie
 * runtime and a stop between prepare and commit. Every test ends with each produced row in the
 * table exactly once, no transaction left pending and the job's counters agreeing.
 */
class StreamLoadFaultsTest {

    private static final String TABLE = "faults";
    private static final AtomicInteger JOBS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedKafkaBroker broker;
    StreamLoadFixture fixture;
    StreamLoadTestServer server;
    JobManager jobs;
    String topic;
    int partitions;
    String jobName;

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

    /** A server, a topic of {@code partitions} and the target table; the test makes its runtime. */
    private void open(StreamLoadTestServer.Builder builder, int partitions) {
        server = builder.build();
        fixture = new StreamLoadFixture(broker, server);
        server.createTable(DB, TABLE, "id BIGINT NOT NULL", "name VARCHAR(64)");
        this.partitions = partitions;
        topic = fixture.topic("faults", partitions);
        jobName = "faults_job_" + JOBS.incrementAndGet();
    }

    /** A runtime whose Stream Load requests give up after {@code timeout} without an answer. */
    private JobManager runtimeWithRequestTimeout(Duration timeout) {
        return fixture.runtime(server.clientConfig(DB, "_").requestTimeout(timeout).build());
    }

    private void createJob() throws Exception {
        jobs.execute("""
                CREATE ROUTINE LOAD %s.%s ON %s
                COLUMNS TERMINATED BY ",", COLUMNS(id, name)
                PROPERTIES ('max_batch_interval'='1', 'max_batch_rows'='100')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING')
                """.formatted(DB, jobName, TABLE, broker.bootstrapServers(), topic));
    }

    private RoutineLoadJob job() {
        return StreamLoadFixture.job(jobs, jobName);
    }

    private void produce(int from, int to) {
        Topics.produce(broker, topic, partitions, IntStream.range(from, to).mapToObj(i -> i + ",name " + i).toList());
    }

    private void produceAndAwait(int from, int to) {
        produce(from, to);
        fixture.awaitRows(jobs, TABLE, to);
    }

    /**
     * Every row once (count and distinct ids), nothing pending in the warehouse, the job's counters (as SHOW shows them,
     * over every replica) agree.
     */
    private void assertExactlyOnce(int rows) {
        fixture.awaitRows(jobs, TABLE, rows);
        RoutineLoadJob job = job();
        Await.until(Duration.ofSeconds(10), () -> job.totalsOverReplicas().loadedRows() >= rows,
                () -> rows + " loaded rows in the statistics: " + job.totalsOverReplicas().asMap());
        List<Map<String, Object>> loaded = server.rows(DB, TABLE);
        assertThat(loaded).hasSize(rows);
        assertThat(loaded.stream().map(r -> r.get("id")).distinct().count()).isEqualTo(rows);
        assertThat(server.pendingTransactions(DB)).isEmpty();
        assertThat(job.totalsOverReplicas().loadedRows()).isEqualTo(rows);
        assertThat(job.totalsOverReplicas().totalRows()).isEqualTo(rows);
    }

    /** The job ran without a pause: no task failed. */
    private void assertNeverPaused() {
        RoutineLoadJob job = job();
        assertThat(job.state()).isEqualTo(JobState.RUNNING);
        assertThat(job.statistics().abortedTaskNum()).as("tasks that failed and paused the job").isZero();
    }

    private long requestsWithStatus(int status) {
        return server.requests().stream().filter(r -> r.status() == status).count();
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void backendErrorsAreRetriedWhileTheJobKeepsRunning(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor), 1);
        jobs = fixture.runtime();
        createJob();
        produceAndAwait(0, 200);

        // two episodes of failures, far apart: each is retried on its own, none pauses the job
        server.inject(Fault.HTTP_500, 2);
        produceAndAwait(200, 400);
        server.inject(Fault.HTTP_500, 2);
        produceAndAwait(400, 600);

        assertThat(requestsWithStatus(500)).isEqualTo(4);
        assertNeverPaused();
        assertExactlyOnce(600);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void droppedConnectionsAndTimeoutsMidBodyAreRetriedWithoutLossOrDuplicates(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor), 1);
        jobs = runtimeWithRequestTimeout(Duration.ofSeconds(2));
        createJob();
        produceAndAwait(0, 200);

        server.inject(Fault.DROP_CONNECTION, 1);
        produceAndAwait(200, 400);
        server.inject(Fault.TIMEOUT, 1);
        produceAndAwait(400, 600);

        // the server recorded the dropped and the unanswered data request
        assertThat(requestsWithStatus(-1)).isEqualTo(2);
        assertNeverPaused();
        assertExactlyOnce(600);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void lostCommitAnswersAndPublishTimeoutsNeitherDuplicateNorLose(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor), 1);
        jobs = runtimeWithRequestTimeout(Duration.ofSeconds(2));
        createJob();
        produceAndAwait(0, 200);

        server.injectCommit(Fault.DROP_AFTER_COMMIT, 1); // committed, the answer lost
        produceAndAwait(200, 400);
        server.injectCommit(Fault.PUBLISH_TIMEOUT, 1); // committed, visible later
        produceAndAwait(400, 600);
        server.injectCommit(Fault.TIMEOUT, 1); // not committed, no answer: the recorded intent commits it
        produceAndAwait(600, 800);

        assertNeverPaused();
        assertExactlyOnce(800);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void loadingContinuesThroughTheSecondFrontendWhenTheFirstIsUnreachable(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor).frontends(2), 3);
        assertThat(server.loadUrl().split(",")).hasSize(2);
        jobs = fixture.runtime();
        createJob();
        produceAndAwait(0, 300);
        assertThat(server.requests()).anyMatch(r -> r.endpoint().equals("fe0"));

        server.setFeReachable(0, false);
        int before = server.requests().size();
        produceAndAwait(300, 600);

        List<String> endpoints = server.requests().subList(before, server.requests().size()).stream()
                .map(RecordedRequest::endpoint).toList();
        assertThat(endpoints).contains("fe1", "be").doesNotContain("fe0");
        assertNeverPaused();
        assertExactlyOnce(600);
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aMomentWithoutAnyFrontendIsRiddenOutByTheTaskRetries(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor), 1);
        jobs = fixture.runtime();
        createJob();
        produceAndAwait(0, 200);

        // the FE resets its next connections: each request tries it twice, so two requests in a row fail and the
        // task retries the batch twice; the outage ends after a number of attempts, not of seconds
        int failed = (int) requestsWithStatus(-1);
        server.dropFrontendConnections(4);
        produce(200, 400);

        fixture.awaitRows(jobs, TABLE, 400);
        assertThat(requestsWithStatus(-1) - failed).as("connections the FE reset").isEqualTo(4);
        assertNeverPaused();
        assertExactlyOnce(400);
    }

    @Test
    @Execution(ExecutionMode.CONCURRENT) // a minute of waiting: it overlaps the other scenarios of this class
    void aMinuteLongWarehouseOutagePausesTheJobWhichResumesByItselfAndLoadsEverythingOnce() throws Exception {
        open(StreamLoadTestServer.builder(Flavor.STARROCKS), 3);
        jobs = fixture.runtime().autoResumeBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2));
        createJob();
        produceAndAwait(0, 300);
        RoutineLoadJob job = job();

        long outageEnds = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        setFrontendsReachable(false);
        produce(300, 600);
        Await.until(Duration.ofSeconds(30), () -> {
            Map<String, String> shown = StreamLoadFixture.show(jobs, jobName);
            return shown.get("State").equals("PAUSED")
                    && shown.get("ReasonOfStateChanged").contains("no FE could be reached")
                    && shown.get("ReasonOfStateChanged").contains("resumes automatically");
        }, () -> "a pause that says why and that it resumes by itself; state " + job.state() + ": "
                + job.record().reason());
        produce(600, 900);
        holdUntil(outageEnds);
        assertThat(server.rowCount(DB, TABLE)).isEqualTo(300);

        setFrontendsReachable(true);
        Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.RUNNING
                        && server.rowCount(DB, TABLE) == 900,
                () -> "resumed with 900 rows; state " + job.state() + " " + job.record().reason() + ", rows "
                        + server.rowCount(DB, TABLE));
        assertExactlyOnce(900);
    }

    private void setFrontendsReachable(boolean reachable) {
        for (int i = 0; i < server.feUrls().size(); i++) {
            server.setFeReachable(i, reachable);
        }
    }

    /** Keeps the outage going: the wait is the scenario, not an assertion. */
    private static void holdUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(1000, left / 1_000_000 + 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void versionPressureStretchesTheBatchIntervalInsteadOfFailing(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor), 1);
        jobs = fixture.runtime();
        createJob();
        produceAndAwait(0, 200);

        server.inject(Fault.VERSION_PRESSURE, 2); // two loads in a row: the interval doubles twice
        produce(200, 400);
        Await.until(Duration.ofSeconds(20), () -> currentOverMaxBatchInterval() > 1
                        && StreamLoadFixture.show(jobs, jobName).get("OtherMsg").contains("version pressure"),
                () -> "a raised batch interval; it is " + job().batchIntervalMillis() + " ms: " + job().otherMsg());
        fixture.awaitRows(jobs, TABLE, 400);
        assertNeverPaused();

        // successful commits ease the interval back to the configured one
        produceAndAwait(400, 420);
        produceAndAwait(420, 440);
        assertThat(currentOverMaxBatchInterval()).isEqualTo(1);
        assertThat(StreamLoadFixture.show(jobs, jobName).get("OtherMsg")).isEmpty();
        assertExactlyOnce(440);
    }

    /** SHOW's currentBatchIntervalS over its maxBatchIntervalS. */
    private long currentOverMaxBatchInterval() throws Exception {
        JsonNode props = JSON.readTree(StreamLoadFixture.show(jobs, jobName).get("JobProperties"));
        return props.get("currentBatchIntervalS").asLong() / props.get("maxBatchIntervalS").asLong();
    }

    /**
     * Two runtimes share a Stream Load job through its consumer group: each loads its partitions, their offset
     * writes carry their member's generation, and the one left takes every partition when the other stops.
     */
    @ParameterizedTest
    @EnumSource(Flavor.class)
    void twoRuntimesShareTheJobsPartitionsAndTheOneLeftTakesThemAll(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor), 3);
        JobManager first = fixture.runtime().followCatalog(Duration.ofMillis(200));
        jobs = first;
        createJob();
        produceAndAwait(0, 300);
        JobManager second = fixture.runtime().followCatalog(Duration.ofMillis(200));
        Await.until(Duration.ofSeconds(60), () -> second.find(new JobRef(DB, jobName)).isPresent()
                        && !StreamLoadFixture.job(second, jobName).tasks().isEmpty() && !job().tasks().isEmpty(),
                () -> "both runtimes to load a share of the partitions");
        List<Integer> shared = new ArrayList<>();
        job().tasks().forEach(t -> shared.addAll(t.partitions()));
        StreamLoadFixture.job(second, jobName).tasks().forEach(t -> shared.addAll(t.partitions()));
        assertThat(shared).containsExactlyInAnyOrder(0, 1, 2);

        produce(300, 600);
        assertExactlyOnce(600);

        first.close(); // leaves the group at once
        jobs = second;
        Await.until(Duration.ofSeconds(30), () -> job().tasks().stream().mapToInt(t -> t.partitions().size()).sum() == 3,
                () -> "the second runtime to take every partition");
        produce(600, 900);
        assertExactlyOnce(900);
        assertThat(server.pendingTransactions(DB)).isEmpty();
    }

    /**
     * A runtime killed while it records its positions leaves an open offset transaction in the job's consumer
     * group; readers of the group's offsets wait for stable ones, so the next runtime waits until the broker aborts
     * it, after Inlet's offset transaction timeout (seconds), and then loads on with nothing lost or twice.
     */
    @Test
    void aRuntimeKilledWhileRecordingItsPositionsHoldsUpTheNextOnlyUntilItsTransactionTimesOut() throws Exception {
        open(StreamLoadTestServer.builder(Flavor.STARROCKS), 3);
        JobManager first = fixture.runtime();
        jobs = first;
        createJob();
        produceAndAwait(0, 300);
        Await.until(Duration.ofSeconds(10), this::positionsSettled, () -> "the first runtime's positions settled");
        first.close();

        String group = group();
        try (KafkaProducer<byte[], byte[]> dying = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, group + ".inlet.a-replica-that-died",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) KafkaSource.OFFSET_TRANSACTION_TIMEOUT.toMillis()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            dying.initTransactions();
            dying.beginTransaction();
            dying.sendOffsetsToTransaction(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0, "")),
                    new ConsumerGroupMetadata(group));
            // left open, as by a SIGKILL between sending the offsets and committing them

            jobs = fixture.runtime();
            jobs.restore();
            produce(300, 600);
            Await.until(Duration.ofSeconds(180), () -> server.rowCount(DB, TABLE) == 600,
                    () -> "600 rows once the dead writer's transaction is aborted; state " + job().state() + " "
                            + job().record().reason() + ", rows " + server.rowCount(DB, TABLE));
            assertExactlyOnce(600);
        }
    }

    /** The job's consumer group, which holds its positions. */
    private String group() {
        return "inlet_" + DB + "_" + jobName;
    }

    /** No partition's record in the job's consumer group holds an intent ("to"): every batch is written down. */
    private boolean positionsSettled() throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group())
                    .partitionsToOffsetAndMetadata().get();
            return offsets.size() == partitions
                    && offsets.values().stream().noneMatch(o -> o.metadata().contains("\"to\""));
        }
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aRuntimeStoppedBetweenPrepareAndCommitIsResolvedByTheNextFromTheIntent(Flavor flavor) throws Exception {
        open(StreamLoadTestServer.builder(flavor), 1);
        jobs = fixture.runtime();
        createJob();
        produceAndAwait(0, 200);

        server.injectCommit(Fault.HTTP_500, 1000); // the batch is prepared and its intent recorded, the commit never lands
        produce(200, 400);
        Await.until(Duration.ofSeconds(30), () -> requestsWithStatus(500) > 0, () -> "a failed commit");
        jobs.close();
        List<TransactionView> pending = server.pendingTransactions(DB);
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).state()).isEqualTo(LabelState.PREPARED);
        assertThat(server.rowCount(DB, TABLE)).isEqualTo(200);

        server.clearFaults();
        jobs = fixture.runtime();
        jobs.restore();
        assertExactlyOnce(400);
        assertThat(server.labelState(DB, pending.get(0).label()).isCommitted()).isTrue();
        assertThat(job().state()).isEqualTo(JobState.RUNNING);
    }
}
