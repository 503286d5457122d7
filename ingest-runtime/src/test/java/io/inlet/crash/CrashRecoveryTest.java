package io.inlet.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once contract under SIGKILL: {@code inlet run} in a separate JVM is killed while it loads
 * ({@link #KILLS} times: 5 in {@code mvn verify}, 20 in the long crash run), restarted each time; at the end the
 * table holds every message exactly once.
 *
 * <p>No outcome depends on how fast the loader or the machine is. The topic is filled in step with
 * the kills: before each run it holds {@link #BACKLOG} messages beyond the rows the kill waits for,
 * and the last messages arrive only after the last kill, so every kill finds messages still to load
 * and every kill position can be reached. Kills happen at observed positions, never after a time: a
 * number of settled rows, a stage of start-up (the API up, the job running, its first commit), or a
 * batch prepared in the warehouse and held there before its commit. Between the position seen and the
 * kill the loader goes on: here it loaded up to 20,000 rows in that moment, and the backlog is more than
 * twice that.
 */
abstract class CrashRecoveryTest {

    /** 5 in {@code mvn verify}; {@code -Dinlet.crash.kills=20} (README's long crash run). */
    static final int KILLS = Integer.getInteger("inlet.crash.kills", 5);
    /** Messages in the topic beyond the position a kill waits for, and produced after the last kill. */
    static final int BACKLOG = 50_000;
    /** The most rows a run loads before its kill position. */
    static final int MAX_STEP = 10_000;
    static final String TOKEN = RuntimeProcess.TOKEN;
    /** How long one run may take to reach its kill position: only a stuck runtime needs it. */
    static final Duration RUN_LIMIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;
    EmbeddedKafkaBroker broker;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    int apiPort;
    /** The runtime started last, stopped after the test whatever its outcome. */
    Process service;
    /** Messages produced to the topic so far: ids 0 to produced - 1. */
    private int produced;

    /**
     * Creates the target table {@code crash_target} and returns the configuration lines that name the
     * warehouse (and, where the warehouse needs one, the job catalog).
     */
    abstract String prepareWarehouse() throws Exception;

    static String jdbcWarehouse(String url) {
        return "warehouse:\n  url: " + url + "\n  user: inlet\n";
    }

    /** Kills aimed at the moment between a batch's prepare and its commit (two-phase sinks). */
    int preparedKills() {
        return 0;
    }

    /** Makes the warehouse hold the next commit unanswered, so that the batch stays prepared (two-phase sinks). */
    void holdNextCommit() {
        throw new UnsupportedOperationException("no two-phase commit");
    }

    /** Whether a batch is prepared in the warehouse and not yet committed (two-phase sinks). */
    boolean batchPrepared() {
        return false;
    }

    /** count(*) and count(DISTINCT id) of crash_target, once the service has stopped. */
    abstract long[] counts() throws Exception;

    abstract void tearDownWarehouse();

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroyForcibly();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        broker.close();
        tearDownWarehouse();
    }

    /** Where a kill is aimed. */
    private enum StartupStage { API_UP, JOB_RUNNING, FIRST_COMMIT }

    @Test
    void everyMessageIsLoadedExactlyOnceAcrossKills() throws Exception {
        broker.createTopic("crash", 3);
        String warehouse = prepareWarehouse();
        apiPort = EmbeddedKafkaBroker.freePort();
        // small fetches make batches of about max_batch_rows, so that the row counts a kill waits for are fine-grained
        Files.writeString(dir.resolve("jobs.sql"), """
                CREATE ROUTINE LOAD crash_job ON crash_target
                COLUMNS (id, name, ts, created = from_unixtime(ts))
                PROPERTIES ('format' = 'json', 'jsonpaths' = '["$.id", "$.name", "$.ts"]', 'max_batch_rows' = '3000',
                            'desired_concurrent_number' = '3')
                FROM KAFKA ('kafka_broker_list' = '%s', 'kafka_topic' = 'crash',
                            'property.kafka_default_offsets' = 'OFFSET_BEGINNING',
                            'property.max.partition.fetch.bytes' = '32768', 'property.max.poll.records' = '500');
                """.formatted(broker.bootstrapServers()));
        Files.writeString(dir.resolve("inlet.yaml"), warehouse + """
                api:
                  listen: 127.0.0.1:%d
                jobs: jobs.sql
                """.formatted(apiPort));

        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> killedAt = new ArrayList<>();
        List<Long> rowsAfterKill = new ArrayList<>();
        List<Long> leftAtKill = new ArrayList<>();
        int preparedKills = 0;
        for (int i = 0; i < KILLS; i++) {
            long rowsBefore = counts()[0];
            long started = System.nanoTime();
            String at;
            Process p;
            if (i % 5 == 2 && preparedKills < preparedKills()) {
                // between a batch's prepare and its commit: the commit is held, the kill finds the batch prepared
                produceUpTo(rowsBefore + BACKLOG);
                holdNextCommit();
                p = startService(i);
                awaitOrFail(p, i, "a prepared batch", this::batchPrepared);
                preparedKills++;
                at = "prepared";
            } else if (i % 5 == 4) {
                produceUpTo(rowsBefore + BACKLOG);
                StartupStage stage = StartupStage.values()[random.nextInt(StartupStage.values().length)];
                p = startService(i);
                switch (stage) {
                    case API_UP -> awaitOrFail(p, i, "the API", this::apiAnswers);
                    case JOB_RUNNING -> awaitOrFail(p, i, "the job running", this::jobRunning);
                    case FIRST_COMMIT -> awaitOrFail(p, i, "a first commit", () -> settledRowsOrMinusOne() > rowsBefore);
                }
                at = stage.name().toLowerCase(Locale.ROOT);
            } else {
                long target = rowsBefore + 1 + random.nextInt(MAX_STEP);
                produceUpTo(target + BACKLOG);
                p = startService(i);
                awaitOrFail(p, i, target + " settled rows", () -> settledRowsOrMinusOne() >= target);
                at = ">=" + target + "rows";
            }
            p.destroyForcibly();
            killedAt.add(String.format("%s after %.1fs", at, (System.nanoTime() - started) / 1e9));
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the killed runtime exited").isTrue();
            long[] now = counts();
            assertThat(now[0]).as("no duplicate after kill %d", i).isEqualTo(now[1]);
            rowsAfterKill.add(now[0]);
            leftAtKill.add(produced - now[0]);
        }
        System.out.println("kills at " + killedAt + "; rows then " + rowsAfterKill + ", messages left then " + leftAtKill);
        long preparedSlots = IntStream.range(0, KILLS).filter(i -> i % 5 == 2).count();
        assertThat(preparedKills).as("kills between prepare and commit (%s)", killedAt)
                .isEqualTo(Math.min(preparedKills(), preparedSlots));
        // a kill lands while loading when messages were left to load: the topic grows only between runs, so no kill
        // can come after the load; the loader would have to drain BACKLOG messages between the position seen and
        // the kill for one to miss
        assertThat(leftAtKill).as("kills that left messages to load (messages left after each kill: %s)", leftAtKill)
                .filteredOn(left -> left > 0).hasSizeGreaterThanOrEqualTo(KILLS / 2);
        produceUpTo(produced + BACKLOG);
        int messages = produced;
        long lastStarted = System.nanoTime();
        Process last = startService(KILLS);
        try {
            Await.until(Duration.ofSeconds(180), () -> settledRows() >= messages,
                    () -> "all messages settled (random seed " + seed + ", kills at " + killedAt + "); log: "
                            + tail(dir.resolve("run-" + KILLS + ".log")));
            System.out.printf("the last runtime settled every message in %.1fs%n", (System.nanoTime() - lastStarted) / 1e9);
        } finally {
            last.destroy();
            last.waitFor(60, TimeUnit.SECONDS);
        }
        long[] counts = counts();
        assertThat(counts[0]).as("rows (seed %d)", seed).isEqualTo(messages);
        assertThat(counts[1]).as("distinct ids (seed %d)", seed).isEqualTo(messages);
    }

    /** Produces the next messages, up to {@code count} in all. */
    private void produceUpTo(long count) {
        int to = (int) count;
        if (to > produced) {
            Topics.produce(broker, "crash", 3, IntStream.range(produced, to)
                    .mapToObj(i -> "{\"id\":" + i + ",\"name\":\"n" + (i % 977) + "\",\"ts\":" + (1_700_000_000L + i) + "}")
                    .toList());
            produced = to;
        }
    }

    /** Waits until the run reaches its kill position; a runtime that dies or stalls on the way fails the test. */
    private void awaitOrFail(Process p, int run, String position, Callable<Boolean> reached) {
        Await.until(RUN_LIMIT, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("runtime " + run + " exited with " + p.exitValue() + " before " + position
                        + "; log: " + tail(dir.resolve("run-" + run + ".log")));
            }
            return reached.call();
        }, () -> position + " in run " + run + "; job " + jobView() + "; warehouse " + warehouseActivity()
                + "; log: " + tail(dir.resolve("run-" + run + ".log")) + "\nthreads:\n" + threads(p));
    }

    /** What the warehouse is doing, to show where a stalled runtime waits. */
    String warehouseActivity() {
        return "";
    }

    private String jobView() {
        try {
            return String.valueOf(jobOrNull());
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String threads(Process p) {
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(p.pid()), "Thread.print").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor(30, TimeUnit.SECONDS);
            return out.lines().filter(l -> !l.isBlank()).limit(400).collect(java.util.stream.Collectors.joining("\n"));
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    private boolean apiAnswers() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notUpYet) {
            return false;
        }
    }

    private boolean jobRunning() throws Exception {
        JsonNode job = jobOrNull();
        return job != null && job.get("State").asText().equals("RUNNING") && job.get("CurrentTaskNum").asInt() > 0;
    }

    private Process startService(int run) throws Exception {
        service = RuntimeProcess.start(dir, dir.resolve("inlet.yaml"), dir.resolve("run-" + run + ".log"),
                serviceEnvironment());
        return service;
    }

    /** Environment variables of the service, e.g. the warehouse password. */
    Map<String, String> serviceEnvironment() {
        return Map.of();
    }

    private long settledRowsOrMinusOne() {
        try {
            return settledRows();
        } catch (Exception notUpYet) {
            return -1;
        }
    }

    private long settledRows() throws Exception {
        JsonNode job = jobOrNull();
        if (job == null) {
            return -1;
        }
        String state = job.get("State").asText();
        String reason = job.get("ReasonOfStateChanged").asText();
        // a broker slow to answer a freshly started runtime may pause the job for a moment: it resumes by itself
        if (!(state.equals("PAUSED") && reason.contains("resumes automatically"))) {
            assertThat(state).as("job state; reason " + reason).isIn("NEED_SCHEDULE", "RUNNING");
        }
        return json.readTree(job.get("Statistic").asText()).get("totalRows").asLong();
    }

    /** The job as the API shows it, or null before the runtime has restored it. */
    private JsonNode jobOrNull() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                        + "/api/v1/jobs")).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode jobs = json.readTree(r.body());
        return jobs.isArray() && !jobs.isEmpty() ? jobs.get(0) : null;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }
}
