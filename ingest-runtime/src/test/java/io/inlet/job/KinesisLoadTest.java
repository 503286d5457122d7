package io.inlet.job;

import io.inlet.sink.Warehouse;
import io.inlet.sink.jdbc.PostgresWarehouse;
import io.inlet.source.kinesis.ArmedFaults;
import io.inlet.source.kinesis.KinesisEmulator;
import io.inlet.sql.JobRef;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FROM KINESIS jobs into PostgreSQL, on moto (and kinesalite for resharding): seed 002's {@code stock} table
 * (EVENT_TIME, TICKER, PRICE) from JSON and CSV records, each record exactly once, through a restart, a split and a
 * merge, throttling; a missing stream's pause; PAUSE, RESUME, ALTER and STOP.
 */
class KinesisLoadTest {

    private static final AtomicInteger STREAMS = new AtomicInteger();
    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static EmbeddedPostgres pg;
    static KinesisEmulator moto;
    static KinesisClient kinesis;
    Warehouse warehouse;
    JobManager jobs;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.start();
        moto = KinesisEmulator.startMoto();
        kinesis = moto.kinesis();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kinesis != null) {
            kinesis.close();
        }
        if (moto != null) {
            moto.close();
        }
        pg.close();
    }

    @BeforeEach
    void open() throws Exception {
        warehouse = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
        jobs = new JobManager(warehouse, "public", Clock.systemUTC(), 8);
    }

    @AfterEach
    void close() {
        ArmedFaults.disarm();
        jobs.close();
        warehouse.close();
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void seed002StockFromJsonRecordsEachOnceWithProgressAndLagPerShard() throws Exception {
        String stream = newStream(kinesis, 2);
        List<PutRecordResponse> put = putStock(kinesis, stream, 0, 300, this::json);
        table("stock_json");
        jobs.execute(statement("stock_json_job", "stock_json", stream, moto, "('format' = 'json')", ""));

        awaitRows("stock_json_job", "stock_json", 300);

        assertEachOnce("stock_json", 300);
        assertThat(query("SELECT CAST(EVENT_TIME AS VARCHAR), TICKER, PRICE FROM stock_json WHERE TICKER = 'T7'"))
                .containsExactly(List.of("2026-01-01 00:00:07", "T7", 7.5f));
        Map<String, String> show = showRow("stock_json_job");
        assertThat(show.get("State")).isEqualTo("RUNNING");
        assertThat(show.get("DataSourceType")).isEqualTo("KINESIS");
        assertThat(show.get("DataSourceProperties")).contains("\"stream\":\"" + stream + "\"",
                "\"currentKinesisShards\":\"shardId-000000000000,shardId-000000000001\"");
        assertThat(show.get("Progress")).isEqualTo(json(lastSequencePerShard(put)));
        assertThat(show.get("Lag")).contains("\"shardId-000000000000\":", "\"shardId-000000000001\":");
        assertThat(show.get("CustomProperties")).contains("\"aws.secret_key\":\"******\"")
                .doesNotContain("testing-secret");
        assertThat(show.get("Statistic")).contains("\"loadedRows\":300", "\"errorRows\":0");
        assertThat(new io.inlet.api.JobMetrics(jobs).scrape()).contains("inlet_job_lag_millis{",
                "shard=\"shardId-000000000001\",table=\"stock_json\"}");
        assertThat(JobViews.taskRows(job("stock_json_job"))).singleElement()
                .satisfies(row -> assertThat(row.get(9)).isEqualTo(show.get("Progress")));
    }

    @Test
    void seed002StockFromCsvRecordsEachOnce() throws Exception {
        String stream = newStream(kinesis, 3);
        putStock(kinesis, stream, 0, 250, this::csv);
        table("stock_csv");
        jobs.execute(statement("stock_csv_job", "stock_csv", stream, moto, "('format' = 'csv')",
                "COLUMNS TERMINATED BY ',', COLUMNS(EVENT_TIME, TICKER, PRICE)"));

        awaitRows("stock_csv_job", "stock_csv", 250);

        assertEachOnce("stock_csv", 250);
        assertThat(query("SELECT PRICE FROM stock_csv WHERE TICKER = 'T11'")).containsExactly(List.of(11.5f));
    }

    @Test
    void aRestartResumesFromTheCommittedPositionsExactlyOnce() throws Exception {
        String stream = newStream(kinesis, 2);
        putStock(kinesis, stream, 0, 200, this::json);
        table("stock_restart");
        jobs.execute(statement("stock_restart_job", "stock_restart", stream, moto, "('format' = 'json')", ""));
        awaitRows("stock_restart_job", "stock_restart", 200);
        jobs.close();
        warehouse.close();

        putStock(kinesis, stream, 200, 200, this::json);
        warehouse = new PostgresWarehouse(pg.jdbcUrl(), EmbeddedPostgres.USER, "");
        jobs = new JobManager(warehouse, "public", Clock.systemUTC(), 8);
        jobs.restore();
        awaitRows("stock_restart_job", "stock_restart", 400);

        assertEachOnce("stock_restart", 400);
        assertThat(showRow("stock_restart_job").get("Statistic")).contains("\"loadedRows\":400");
    }

    @Test
    void pauseAlterResumeAndStopWorkAsForKafka() throws Exception {
        String stream = newStream(kinesis, 2);
        putStock(kinesis, stream, 0, 100, this::json);
        table("stock_manage");
        jobs.execute(statement("stock_manage_job", "stock_manage", stream, moto, "('format' = 'json')", ""));
        awaitRows("stock_manage_job", "stock_manage", 100);

        jobs.execute("PAUSE ROUTINE LOAD FOR stock_manage_job");
        assertThat(job("stock_manage_job").state()).isEqualTo(JobState.PAUSED);
        putStock(kinesis, stream, 100, 100, this::json);
        jobs.execute("ALTER ROUTINE LOAD FOR stock_manage_job PROPERTIES ('max_batch_interval' = '6')");
        jobs.execute("RESUME ROUTINE LOAD FOR stock_manage_job");
        awaitRows("stock_manage_job", "stock_manage", 200);
        assertEachOnce("stock_manage", 200);
        assertThat(showRow("stock_manage_job").get("JobProperties")).contains("\"maxBatchIntervalS\":\"6\"");

        jobs.execute("STOP ROUTINE LOAD FOR stock_manage_job");
        assertThat(job("stock_manage_job").state()).isEqualTo(JobState.STOPPED);
    }

    @Test
    void alterWithKinesisShardsPosLoadsAShardAgainFromTrimHorizon() throws Exception {
        String stream = newStream(kinesis, 1);
        putStock(kinesis, stream, 0, 50, this::json);
        table("stock_rewind");
        jobs.execute(statement("stock_rewind_job", "stock_rewind", stream, moto, "('format' = 'json')", ""));
        awaitRows("stock_rewind_job", "stock_rewind", 50);

        jobs.execute("PAUSE ROUTINE LOAD FOR stock_rewind_job");
        jobs.execute("ALTER ROUTINE LOAD FOR stock_rewind_job FROM KINESIS ("
                + "'kinesis_shards' = 'shardId-000000000000', 'kinesis_shards_pos' = 'TRIM_HORIZON')");
        jobs.execute("RESUME ROUTINE LOAD FOR stock_rewind_job");

        Await.until(Duration.ofSeconds(60), () -> count("stock_rewind") == 100,
                () -> "the shard to load again from its start; rows " + safeCount("stock_rewind"));
    }

    @Test
    void aMissingStreamPausesTheJobWithTheReadersReason() throws Exception {
        table("stock_missing");
        jobs.execute(statement("stock_missing_job", "stock_missing", "no-such-stream", moto, "('format' = 'json')",
                ""));

        RoutineLoadJob job = job("stock_missing_job");
        Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.PAUSED,
                () -> "the job to pause; state " + job.state());
        assertThat(job.record().reason()).contains("Kinesis stream 'no-such-stream' does not exist in region us-east-1")
                .doesNotContain("resumes automatically");
        assertThat(showRow("stock_missing_job").get("ReasonOfStateChanged")).contains("check kinesis_stream");
    }

    @Test
    void deniedCredentialsPauseTheJobUntilAUserActs() throws Exception {
        String stream = newStream(kinesis, 1);
        table("stock_denied");
        ArmedFaults.arm("ListShards", Set.of(1, 2, 3, 4, 5, 6, 7, 8), "AccessDeniedException");
        jobs.execute(statement("stock_denied_job", "stock_denied", stream, moto, "('format' = 'json')", ""));

        RoutineLoadJob job = job("stock_denied_job");
        Await.until(Duration.ofSeconds(30), () -> job.state() == JobState.PAUSED,
                () -> "the job to pause; state " + job.state());
        assertThat(job.record().reason()).contains("the AWS credentials may not read Kinesis stream '" + stream + "'",
                "AccessDeniedException from ListShards", "grant kinesis:ListShards")
                .doesNotContain("resumes automatically");
        assertThat(job.autoResumePending()).isFalse();

        ArmedFaults.disarm();
        putStock(kinesis, stream, 0, 20, this::json);
        jobs.execute("RESUME ROUTINE LOAD FOR stock_denied_job");
        awaitRows("stock_denied_job", "stock_denied", 20);
        assertEachOnce("stock_denied", 20);
    }

    @Test
    void throttledGetRecordsAreBackedOffWithoutLoss() throws Exception {
        String stream = newStream(kinesis, 2);
        putStock(kinesis, stream, 0, 200, this::json);
        table("stock_throttled");
        Set<Integer> throttled = Set.copyOf(IntStream.rangeClosed(1, 40).filter(i -> i % 3 != 0).boxed().toList());
        ArmedFaults.arm("GetRecords", throttled, "ProvisionedThroughputExceededException");
        jobs.execute(statement("stock_throttled_job", "stock_throttled", stream, moto, "('format' = 'json')", ""));

        awaitRows("stock_throttled_job", "stock_throttled", 200);
        putStock(kinesis, stream, 200, 100, this::json);
        awaitRows("stock_throttled_job", "stock_throttled", 300);

        assertThat(ArmedFaults.injected()).isGreaterThan(10);
        assertEachOnce("stock_throttled", 300);
        assertThat(job("stock_throttled_job").state()).isEqualTo(JobState.RUNNING);
    }

    /**
     * On kinesalite, which writes into the children after a split or a merge (moto keeps writing to the parent):
     * the job claims the new shards, reads each parent to its end before its children, and loads every record once.
     */
    @Test
    void aSplitAndAMergeDuringALoadLoseAndDuplicateNothing() throws Exception {
        try (KinesisEmulator kinesalite = KinesisEmulator.startKinesalite();
             KinesisClient k = kinesalite.kinesis()) {
            String stream = newStream(k, 2);
            putStock(k, stream, 0, 200, this::json);
            table("stock_reshard");
            jobs.execute(statement("stock_reshard_job", "stock_reshard", stream, kinesalite, "('format' = 'json')",
                    ""));
            awaitRows("stock_reshard_job", "stock_reshard", 200);

            Shard parent = k.listShards(b -> b.streamName(stream)).shards().get(0);
            BigInteger lo = new BigInteger(parent.hashKeyRange().startingHashKey());
            BigInteger hi = new BigInteger(parent.hashKeyRange().endingHashKey());
            k.splitShard(b -> b.streamName(stream).shardToSplit(parent.shardId())
                    .newStartingHashKey(lo.add(hi).shiftRight(1).toString()));
            KinesisEmulator.awaitActive(k, stream);
            putStock(k, stream, 200, 200, this::json);
            awaitRows("stock_reshard_job", "stock_reshard", 400);

            List<Shard> children = k.listShards(b -> b.streamName(stream)).shards().stream()
                    .filter(s -> parent.shardId().equals(s.parentShardId())).toList();
            assertThat(children).hasSize(2);
            k.mergeShards(b -> b.streamName(stream).shardToMerge(children.get(0).shardId())
                    .adjacentShardToMerge(children.get(1).shardId()));
            KinesisEmulator.awaitActive(k, stream);
            putStock(k, stream, 400, 200, this::json);
            awaitRows("stock_reshard_job", "stock_reshard", 600);

            assertEachOnce("stock_reshard", 600);
            assertThat(job("stock_reshard_job").shards()).hasSize(5);
            RoutineLoadJob job = job("stock_reshard_job");
            stopBeforeTheEmulator(job);
        }
    }

    // ------------------------------------------------------------------------------------------------ support

    private void stopBeforeTheEmulator(RoutineLoadJob job) throws Exception {
        jobs.execute("STOP ROUTINE LOAD FOR " + job.record().name());
    }

    private static String newStream(KinesisClient k, int shards) throws InterruptedException {
        String name = "stock-" + STREAMS.incrementAndGet();
        KinesisEmulator.createStream(k, name, shards);
        return name;
    }

    /** Records {@code from} to {@code from + n - 1}; record i is ticker Ti at 2026-01-01 00:00:i, price i + 0.5. */
    private static List<PutRecordResponse> putStock(KinesisClient k, String stream, int from, int n,
                                                    java.util.function.IntFunction<String> format) {
        List<PutRecordResponse> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            String data = format.apply(i);
            int key = i;
            out.add(k.putRecord(b -> b.streamName(stream).partitionKey("ticker-" + key)
                    .data(SdkBytes.fromString(data, StandardCharsets.UTF_8))));
        }
        return out;
    }

    private String json(int i) {
        return "{\"event_time\": \"" + time(i) + "\", \"ticker\": \"T" + i + "\", \"price\": " + (i + 0.5) + "}";
    }

    private String csv(int i) {
        return time(i) + ",T" + i + "," + (i + 0.5);
    }

    private static String time(int i) {
        return TIME.format(java.time.LocalDateTime.of(2026, 1, 1, 0, 0).plusSeconds(i));
    }

    private static String statement(String job, String table, String stream, KinesisEmulator emulator,
                                     String properties, String load) {
        return "CREATE ROUTINE LOAD " + job + " ON " + table + " " + load + " PROPERTIES " + properties
                + " FROM KINESIS ('aws.region' = 'us-east-1', 'kinesis_stream' = '" + stream + "',"
                + " 'aws.endpoint' = '" + emulator.endpoint() + "', 'aws.access_key' = 'testing',"
                + " 'aws.secret_key' = 'testing-secret', 'property.kinesis_default_pos' = 'TRIM_HORIZON')";
    }

    private void table(String name) throws Exception {
        sql("DROP TABLE IF EXISTS " + name);
        sql("CREATE TABLE " + name + " (EVENT_TIME TIMESTAMP NOT NULL, TICKER VARCHAR(65533) NOT NULL, PRICE REAL)");
    }

    private void awaitRows(String job, String table, long rows) {
        RoutineLoadJob j = job(job);
        Await.until(Duration.ofSeconds(90), () -> safeCount(table) >= rows && j.statistics().totalRows() >= rows,
                () -> job + " to load " + rows + " rows; state " + j.state() + " " + j.record().reason()
                        + ", loaded " + safeCount(table) + ", other " + j.otherMsg());
    }

    private void assertEachOnce(String table, long n) throws Exception {
        assertThat(count(table)).isEqualTo(n);
        assertThat(((Number) query("SELECT count(DISTINCT TICKER) FROM " + table).get(0).get(0)).longValue())
                .isEqualTo(n);
    }

    private static Map<String, String> lastSequencePerShard(List<PutRecordResponse> put) {
        Map<String, BigInteger> last = new HashMap<>();
        put.forEach(r -> last.merge(r.shardId(), new BigInteger(r.sequenceNumber()), BigInteger::max));
        Map<String, String> out = new java.util.TreeMap<>();
        last.forEach((shard, seq) -> out.put(shard, seq.toString()));
        return out;
    }

    private static String json(Map<String, String> m) {
        return JobViews.toJson(m);
    }

    private RoutineLoadJob job(String name) {
        return jobs.findAny(new JobRef("public", name)).orElseThrow();
    }

    private Map<String, String> showRow(String name) throws Exception {
        SqlResult r = jobs.execute("SHOW ROUTINE LOAD FOR " + name);
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < r.columns().size(); i++) {
            m.put(r.columns().get(i), r.rows().get(0).get(i));
        }
        return m;
    }

    private void sql(String ddl) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute(ddl);
        }
    }

    private List<List<Object>> query(String sql) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
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

    private long count(String table) throws Exception {
        return ((Number) query("SELECT count(*) FROM " + table).get(0).get(0)).longValue();
    }

    private long safeCount(String table) {
        try {
            return count(table);
        } catch (Exception e) {
            return -1;
        }
    }
}
