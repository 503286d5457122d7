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
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once contract under SIGKILL: {@code inlet run} in a separate JVM loads 200,000
 * messages and is killed at 20 random moments, restarted each time; at the end the table holds
 * every message exactly once.
 */
abstract class CrashRecoveryTest {

    static final int MESSAGES = 200_000;
    static final int KILLS = 20;
    static final String TOKEN = "crash-test-token-7f3a";

    @TempDir
    Path dir;
    EmbeddedKafkaBroker broker;
    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    int apiPort;
    /** The runtime started last, stopped after the test whatever its outcome. */
    Process service;

    /**
     * Creates the target table {@code crash_target} and returns the configuration lines that name the
     * warehouse (and, where the warehouse needs one, the job catalog).
     */
    abstract String prepareWarehouse() throws Exception;

    static String jdbcWarehouse(String url) {
        return "warehouse:\n  url: " + url + "\n  user: inlet\n";
    }

    /** Whether a batch is prepared in the warehouse and not yet committed (for two-phase sinks). */
    boolean batchPrepared() {
        return false;
    }

    /** Kills aimed at the moment between a batch's prepare and its commit (two-phase sinks). */
    int preparedKills() {
        return 0;
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

    @Test
    void everyMessageIsLoadedExactlyOnceAcrossKills() throws Exception {
        broker.createTopic("crash", 3);
        Topics.produce(broker, "crash", 3, IntStream.range(0, MESSAGES)
                .mapToObj(i -> "{\"id\":" + i + ",\"name\":\"n" + (i % 977) + "\",\"ts\":" + (1_700_000_000L + i) + "}")
                .toList());
        String warehouse = prepareWarehouse();
        apiPort = EmbeddedKafkaBroker.freePort();
        Files.writeString(dir.resolve("jobs.sql"), """
                CREATE ROUTINE LOAD crash_job ON crash_target
                COLUMNS (id, name, ts, created = from_unixtime(ts))
                PROPERTIES ('format' = 'json', 'jsonpaths' = '["$.id", "$.name", "$.ts"]', 'max_batch_rows' = '3000',
                            'desired_concurrent_number' = '3')
                FROM KAFKA ('kafka_broker_list' = '%s', 'kafka_topic' = 'crash',
                            'property.kafka_default_offsets' = 'OFFSET_BEGINNING');
                """.formatted(broker.bootstrapServers()));
        Files.writeString(dir.resolve("inlet.yaml"), warehouse + """
                api:
                  listen: 127.0.0.1:%d
                jobs: jobs.sql
                """.formatted(apiPort));

        long seed = System.nanoTime();
        Random random = new Random(seed);
        // Every fifth kill lands at a random time during start-up (claim, seek, first poll); the others
        // at a random number of settled rows, a few milliseconds after a commit, while the next batch loads.
        long[] targets = random.longs(KILLS, 1, MESSAGES * 95L / 100).sorted().toArray();
        List<String> killedAt = new ArrayList<>();
        List<Long> rowsAfterKill = new ArrayList<>();
        int preparedKills = 0;
        for (int i = 0; i < KILLS; i++) {
            long started = System.nanoTime();
            Process p = startService(i);
            String at;
            if (i % 5 == 2 && preparedKills < preparedKills()) {
                // between a batch's prepare and its commit: the intent may or may not be written yet
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!batchPrepared() && System.nanoTime() < deadline && p.isAlive()) {
                    Thread.onSpinWait();
                }
                if (batchPrepared()) {
                    preparedKills++;
                    at = "prepared";
                } else {
                    at = "(no prepared batch seen)";
                }
            } else if (i % 5 == 4) {
                long delay = 200 + random.nextInt(1500);
                Thread.sleep(delay);
                at = delay + "ms";
            } else {
                long target = targets[i];
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (settledRowsOrMinusOne() < target && System.nanoTime() < deadline && p.isAlive()) {
                    Thread.sleep(5);
                }
                Thread.sleep(random.nextInt(40));
                at = ">=" + target + "rows";
            }
            p.destroyForcibly();
            killedAt.add(String.format("%s after %.1fs", at, (System.nanoTime() - started) / 1e9));
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the killed runtime exited").isTrue();
            long[] now = counts();
            assertThat(now[0]).as("no duplicate after kill %d", i).isEqualTo(now[1]);
            rowsAfterKill.add(now[0]);
        }
        System.out.println("kills at " + killedAt + "; rows then " + rowsAfterKill);
        assertThat(preparedKills).as("kills between prepare and commit (%s)", killedAt).isEqualTo(preparedKills());
        assertThat(rowsAfterKill.stream().filter(n -> n > 0 && n < MESSAGES).count())
                .as("kills that landed while loading (rows after each kill: %s)", rowsAfterKill)
                .isGreaterThanOrEqualTo(10);
        long lastStarted = System.nanoTime();
        Process last = startService(KILLS);
        try {
            Await.until(Duration.ofSeconds(180), () -> settledRows() >= MESSAGES,
                    () -> "all messages settled (random seed " + seed + ", kills after " + killedAt + " ms); log: "
                            + tail(dir.resolve("run-" + KILLS + ".log")));
            System.out.printf("the last runtime settled every message in %.1fs%n", (System.nanoTime() - lastStarted) / 1e9);
        } finally {
            last.destroy();
            last.waitFor(60, TimeUnit.SECONDS);
        }
        long[] counts = counts();
        assertThat(counts[0]).as("rows (seed %d)", seed).isEqualTo(MESSAGES);
        assertThat(counts[1]).as("distinct ids (seed %d)", seed).isEqualTo(MESSAGES);
    }

    private Process startService(int run) throws Exception {
        // java.io.tmpdir in the test's folder: DuckDB's driver unpacks its 72 MB native library into the temp
        // folder at every start, and a runtime killed with SIGKILL never deletes it
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Daws.disableEc2Metadata=true",
                "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"), "io.inlet.cli.InletCli", "run",
                "--config", dir.resolve("inlet.yaml").toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run-" + run + ".log").toFile());
        pb.environment().put("INLET_API_TOKEN", TOKEN);
        pb.environment().putAll(serviceEnvironment());
        service = pb.start();
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
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                        + "/api/v1/jobs")).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode jobs = json.readTree(r.body());
        if (!jobs.isArray() || jobs.isEmpty()) {
            return -1;
        }
        JsonNode job = jobs.get(0);
        String state = job.get("State").asText();
        String reason = job.get("ReasonOfStateChanged").asText();
        // a broker slow to answer a freshly started runtime may pause the job for a moment: it resumes by itself
        if (!(state.equals("PAUSED") && reason.contains("resumes automatically"))) {
            assertThat(state).as("job state; reason " + reason).isIn("NEED_SCHEDULE", "RUNNING");
        }
        return json.readTree(job.get("Statistic").asText()).get("totalRows").asLong();
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
