package io.inlet.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.source.kinesis.KinesisEmulator;
import io.inlet.testkit.Await;
import io.inlet.testkit.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A FROM KINESIS job into PostgreSQL, its runtime ({@code inlet run} in a JVM of its own) killed with SIGKILL while
 * it loads a 4-shard stream on moto, then started again: after every kill no record is in the table twice, and the
 * last runtime loads every record exactly once. Each run loads up to an observed number of settled rows; then the
 * test locks the target table, puts more records, waits until the runtime's batch is blocked on the lock (a batch in
 * flight, whatever the machine's speed) and kills it there. {@code mvn verify} kills twice (each kill costs a runtime's
 * start with the AWS SDK, about half a minute here); {@code -Dinlet.crash.kills=20} for the long run.
 */
class KinesisCrashRecoveryTest {

    static final int KILLS = Integer.getInteger("inlet.crash.kills", 2);
    /** Records in the stream beyond the position a kill waits for. */
    static final int BACKLOG = 10_000;
    static final int MAX_STEP = 5_000;
    /** Records put while the table is locked: the batch the kill interrupts reads them. */
    static final int IN_FLIGHT = 1_000;
    static final Duration RUN_LIMIT = Duration.ofSeconds(180);
    static final String STREAM = "crash";

    @TempDir
    Path dir;
    EmbeddedPostgres pg;
    KinesisEmulator moto;
    KinesisClient kinesis;
    Process service;
    int apiPort;
    int produced;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        moto = KinesisEmulator.startMoto();
        kinesis = moto.kinesis();
        pg = EmbeddedPostgres.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroyForcibly();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        kinesis.close();
        moto.close();
        pg.close();
    }

    @Test
    void everyRecordIsLoadedExactlyOnceAcrossKills() throws Exception {
        KinesisEmulator.createStream(kinesis, STREAM, 4);
        pg.execute("CREATE TABLE crash_target (id BIGINT, ticker VARCHAR(32), price REAL)");
        apiPort = EmbeddedKafkaBroker.freePort();
        Files.writeString(dir.resolve("jobs.sql"), """
                CREATE ROUTINE LOAD crash_job ON crash_target
                PROPERTIES ('format' = 'json', 'max_batch_rows' = '2000')
                FROM KINESIS ('aws.region' = 'us-east-1', 'kinesis_stream' = '%s', 'aws.endpoint' = '%s',
                              'aws.access_key' = 'testing', 'aws.secret_key' = 'testing',
                              'property.kinesis_default_pos' = 'TRIM_HORIZON');
                """.formatted(STREAM, moto.endpoint()));
        Files.writeString(dir.resolve("inlet.yaml"), "warehouse:\n  url: " + pg.jdbcUrl() + "\n  user: inlet\n"
                + "api:\n  listen: 127.0.0.1:" + apiPort + "\njobs: jobs.sql\n");

        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<Long> rowsAfterKill = new ArrayList<>();
        List<Long> leftAtKill = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            long rowsBefore = counts()[0];
            long target = rowsBefore + 1 + random.nextInt(MAX_STEP);
            putUpTo(target + BACKLOG);
            Process p = startService(i);
            int run = i;
            Await.until(RUN_LIMIT, () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("runtime " + run + " exited early; log: " + tail(run));
                }
                return settledRows() >= target;
            }, () -> target + " settled rows in run " + run + "; log: " + tail(run));
            try (Connection lock = pg.connect()) {
                lock.setAutoCommit(false);
                // blocks the runtime's writes to the table, not the test's reads
                lock.createStatement().execute("LOCK TABLE crash_target IN EXCLUSIVE MODE");
                putUpTo(produced + IN_FLIGHT);
                Await.until(RUN_LIMIT, this::aBatchWaitsForTheLock,
                        () -> "a batch blocked on the lock in run " + run + "; log: " + tail(run));
                p.destroyForcibly();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the killed runtime exited").isTrue();
                lock.rollback();
            }
            long[] now = counts();
            assertThat(now[0]).as("no duplicate after kill %d (seed %d)", i, seed).isEqualTo(now[1]);
            rowsAfterKill.add(now[0]);
            leftAtKill.add(produced - now[0]);
        }
        System.out.println("Kinesis kills: rows then " + rowsAfterKill + ", records left then " + leftAtKill);
        assertThat(leftAtKill).as("records left to load at each kill").allMatch(left -> left >= IN_FLIGHT);

        putUpTo(produced + BACKLOG / 4);
        int records = produced;
        Process last = startService(KILLS);
        try {
            Await.until(Duration.ofSeconds(240), () -> counts()[0] >= records && settledRows() >= records,
                    () -> "every record settled (seed " + seed + "); log: " + tail(KILLS));
        } finally {
            last.destroy();
            last.waitFor(60, TimeUnit.SECONDS);
        }
        long[] counts = counts();
        assertThat(counts[0]).as("rows (seed %d)", seed).isEqualTo(records);
        assertThat(counts[1]).as("distinct ids (seed %d)", seed).isEqualTo(records);
    }

    /** Puts the next records, up to {@code count} in all, 500 a call. */
    private void putUpTo(long count) {
        while (produced < count) {
            int from = produced;
            int to = (int) Math.min(count, from + 500);
            List<PutRecordsRequestEntry> entries = IntStream.range(from, to).mapToObj(i -> PutRecordsRequestEntry
                    .builder().partitionKey("k" + i).data(SdkBytes.fromString("{\"id\":" + i + ",\"ticker\":\"T"
                            + (i % 97) + "\",\"price\":" + (i % 1000) + ".5}", StandardCharsets.UTF_8)).build())
                    .toList();
            var response = kinesis.putRecords(b -> b.streamName(STREAM).records(entries));
            assertThat(response.failedRecordCount()).isZero();
            produced = to;
        }
    }

    private Process startService(int run) throws Exception {
        // moto speaks JSON, not CBOR
        service = RuntimeProcess.start(dir, dir.resolve("inlet.yaml"), dir.resolve("run-" + run + ".log"), Map.of(),
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Daws.cborEnabled=false"));
        return service;
    }

    private long[] counts() throws Exception {
        try (Connection c = pg.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(DISTINCT id) FROM crash_target")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Whether a backend of the runtime waits for the test's lock on the target table. */
    private boolean aBatchWaitsForTheLock() throws Exception {
        try (Connection c = pg.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_class t"
                     + " ON t.oid = l.relation WHERE t.relname = 'crash_target' AND NOT l.granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** The job's settled rows as the API shows them; -1 before the runtime answers. */
    private long settledRows() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                            + "/api/v1/jobs")).header("Authorization", "Bearer " + RuntimeProcess.TOKEN)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode jobs = json.readTree(r.body());
            if (!jobs.isArray() || jobs.isEmpty()) {
                return -1;
            }
            JsonNode job = jobs.get(0);
            String state = job.get("State").asText();
            String reason = job.get("ReasonOfStateChanged").asText();
            if (!(state.equals("PAUSED") && reason.contains("resumes automatically"))) {
                assertThat(state).as("job state; reason " + reason).isIn("NEED_SCHEDULE", "RUNNING");
            }
            return json.readTree(job.get("Statistic").asText()).get("totalRows").asLong();
        } catch (AssertionError e) {
            throw e;
        } catch (Exception notUpYet) {
            return -1;
        }
    }

    private String tail(int run) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("run-" + run + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
