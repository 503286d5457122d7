package io.inlet.crash;

import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.testkit.Await;
import io.inlet.testkit.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Replicas under chaos: {@code inlet run} in several JVMs on one warehouse and one topic of {@value #PARTITIONS}
 * partitions, while replicas are added, stopped with SIGTERM and killed with SIGKILL at random ({@link #EVENTS}
 * events); at the end the table holds every message exactly once. {@code mvn verify} runs a short variant (60,000 rows, 6
 * events); README's chaos command runs {@code -Dinlet.chaos.rows=1000000 -Dinlet.chaos.events=30}.
 *
 * <p>No outcome depends on the machine's speed: the topic is filled in step with the events, each event waits for a
 * number of rows in the warehouse (never for a time), and the last messages arrive after the last event.
 */
abstract class ReplicaChaosTest {

    static final int ROWS = Integer.getInteger("inlet.chaos.rows", 60_000);
    static final int EVENTS = Integer.getInteger("inlet.chaos.events", 6);
    static final int PARTITIONS = 12;
    static final int REPLICAS = 3;
    /** How long the replicas may take to load the rows an event waits for: only stuck replicas need it. */
    static final Duration STEP_LIMIT = Duration.ofSeconds(180);

    @TempDir
    Path dir;
    EmbeddedKafkaBroker broker;
    private final List<Process> alive = new ArrayList<>();
    private final List<Process> all = new ArrayList<>();
    private int started;
    private int produced;

    /** Creates the target table {@code chaos_target} and returns the configuration lines of the warehouse. */
    abstract String prepareWarehouse() throws Exception;

    /** Rows in {@code chaos_target}, and distinct ids among them. */
    abstract long[] counts() throws Exception;

    abstract void tearDownWarehouse();

    /** Environment variables of the runtimes, e.g. the warehouse password. */
    Map<String, String> environment() {
        return Map.of();
    }

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : all) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        broker.close();
        tearDownWarehouse();
    }

    private enum Event { SIGKILL, SIGTERM, ADD }

    @Test
    void replicasAddedStoppedAndKilledLoadEveryMessageExactlyOnce() throws Exception {
        broker.createTopic("chaos", PARTITIONS);
        String warehouse = prepareWarehouse();
        Files.writeString(dir.resolve("jobs.sql"), """
                CREATE ROUTINE LOAD chaos_job ON chaos_target
                COLUMNS (id, name, ts, created = from_unixtime(ts))
                PROPERTIES ('format' = 'json', 'jsonpaths' = '["$.id", "$.name", "$.ts"]', 'max_batch_rows' = '5000',
                            'desired_concurrent_number' = '%d')
                FROM KAFKA ('kafka_broker_list' = '%s', 'kafka_topic' = 'chaos',
                            'property.kafka_default_offsets' = 'OFFSET_BEGINNING',
                            'property.max.partition.fetch.bytes' = '32768', 'property.max.poll.records' = '500',
                            'property.session.timeout.ms' = '6000', 'property.heartbeat.interval.ms' = '2000');
                """.formatted(PARTITIONS, broker.bootstrapServers()));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int step = ROWS / (EVENTS + 2);
        produceUpTo(2L * step);
        for (int i = 0; i < REPLICAS; i++) {
            addReplica(warehouse); // at once, as ECS starts a service's tasks: each applies the jobs file
        }
        // four kills, three stops and three replicas added in ten events, in a random order
        List<Event> plan = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            plan.add(i < EVENTS * 0.4 ? Event.SIGKILL : i < EVENTS * 0.7 ? Event.SIGTERM : Event.ADD);
        }
        java.util.Collections.shuffle(plan, random);
        List<String> events = new ArrayList<>();
        List<Long> leftAtEvent = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            long target = (long) i * step + 1 + random.nextInt(step / 2);
            produceUpTo(target + step + step / 2);
            awaitRows(target, "event " + i + " (seed " + seed + ", events so far " + events + ")");
            Event event = plan.get(i);
            if (event != Event.ADD && alive.size() <= 1) {
                addReplica(warehouse); // a stop or kill leaves another replica to take over, as in a scaled service
            }
            switch (event) {
                case ADD -> addReplica(warehouse);
                case SIGKILL -> {
                    Process p = alive.remove(random.nextInt(alive.size()));
                    p.destroyForcibly();
                    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("a killed replica exited").isTrue();
                }
                case SIGTERM -> {
                    Process p = alive.remove(random.nextInt(alive.size()));
                    p.destroy();
                    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("a replica stopped with SIGTERM exited within"
                            + " ECS's stop timeout").isTrue();
                }
            }
            if (alive.isEmpty()) {
                addReplica(warehouse);
            }
            long[] now = counts();
            assertThat(now[0]).as("no duplicate after event %d (%s, seed %d)", i, event, seed).isEqualTo(now[1]);
            events.add(event + "@" + now[0] + "(" + alive.size() + " alive)");
            leftAtEvent.add(produced - now[0]);
        }
        System.out.println("chaos events " + events + "; messages left to load at each " + leftAtEvent);
        assertThat(leftAtEvent).as("events while messages were left to load").filteredOn(left -> left > 0)
                .hasSizeGreaterThanOrEqualTo(EVENTS / 2);
        produceUpTo(ROWS);
        awaitRows(ROWS, "every message (seed " + seed + ", events " + events + ")");
        long[] end = counts();
        assertThat(end[0]).as("rows (seed %d, events %s)", seed, events).isEqualTo(ROWS);
        assertThat(end[1]).as("distinct ids (seed %d)", seed).isEqualTo(ROWS);
        for (Process p : alive) {
            p.destroy();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("a replica stopped with SIGTERM exited").isTrue();
        }
        alive.clear();
    }

    private void addReplica(String warehouse) throws Exception {
        int n = started++;
        Path config = dir.resolve("replica-" + n + ".yaml");
        Files.writeString(config, warehouse + """
                api:
                  listen: 127.0.0.1:%d
                jobs: jobs.sql
                """.formatted(EmbeddedKafkaBroker.freePort()));
        Process p = RuntimeProcess.start(dir, config, dir.resolve("replica-" + n + ".log"), environment());
        alive.add(p);
        all.add(p);
    }

    private void produceUpTo(long count) {
        int to = (int) Math.min(count, ROWS);
        if (to > produced) {
            Topics.produce(broker, "chaos", PARTITIONS, IntStream.range(produced, to)
                    .mapToObj(i -> "{\"id\":" + i + ",\"name\":\"n" + (i % 977) + "\",\"ts\":" + (1_700_000_000L + i) + "}")
                    .toList());
            produced = to;
        }
    }

    private void awaitRows(long rows, String what) {
        Await.until(STEP_LIMIT, () -> {
            for (Process p : alive) {
                if (!p.isAlive()) {
                    throw new AssertionError("a replica exited by itself with " + p.exitValue() + "; logs: "
                            + logTails());
                }
            }
            return counts()[0] >= rows;
        }, () -> rows + " rows before " + what + "; logs: " + logTails());
    }

    private String logTails() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < started; i++) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("replica-" + i + ".log"));
                sb.append("\n--- replica ").append(i).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            } catch (Exception e) {
                sb.append("\n--- replica ").append(i).append(": ").append(e);
            }
        }
        return sb.toString();
    }
}
