package io.inlet.bench;

import io.inlet.crash.RuntimeProcess;
import io.inlet.demo.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Many jobs on one replica (issue 17), shared by {@link ManyJobsBenchmark} and {@code io.inlet.crash.ManyJobsTest}: a
 * fresh broker with {@code jobs} topics of {@value #PARTITIONS} partitions and {@value #MESSAGES} JSON messages each,
 * a fresh warehouse with a table per job, and one {@code inlet run} JVM with the launcher's options whose jobs file
 * holds a {@code CREATE ROUTINE LOAD} per topic. Measures the runtime from outside only (its process, its log, the
 * warehouse), so that it keeps measuring while the runtime's insides change.
 */
public final class ManyJobsRun {

    public static final int PARTITIONS = 3;
    public static final int MESSAGES = 1_000;
    /** The {@code inlet} launcher's JVM options: its default {@code INLET_JAVA_OPTS} and its fixed flags. */
    public static final List<String> LAUNCHER_JVM = List.of("-Xmx256m", "-XX:+UseParallelGC",
            "-Djava.net.preferIPv4Stack=true");
    private static final int TOPICS_PER_REQUEST = 100;
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);
    private static final Duration IDLE_SETTLE = Duration.ofSeconds(120);
    private static final Duration IDLE_WINDOW = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(120);

    public enum Target { POSTGRES, STREAMLOAD }

    /**
     * Log events (lines that start with a time) that mention a refused connection, a pause, an auto-resume; and the
     * events or uncaught exceptions ({@code Exception in thread}) that name an {@code OutOfMemoryError}.
     */
    public record LogCounts(int tooManyClients, int connectionSlots, int pauses, int autoResumes, int outOfMemory) {}

    /**
     * What a run showed. {@code failure} is null when every table held {@value #MESSAGES} rows within the limit;
     * {@code seconds} (from the JVM's start until then) and {@code idleCpuPercent} are NaN when not measured;
     * {@code stopSeconds} (SIGTERM to exit) is NaN when the runtime had to be killed, -1 when it had exited by itself.
     */
    public record Result(Target target, int jobs, long expectedRows, long rows, double seconds, long peakRssBytes,
                         int peakThreads, int peakConnections, int peakRequests, LogCounts log, double idleCpuPercent,
                         double stopSeconds, long duplicates, List<String> notExactlyOnce, String failure,
                         Path logFile) {

        public boolean loaded() {
            return failure == null;
        }
    }

    private ManyJobsRun() {
    }

    /**
     * Runs {@code jobs} jobs into {@code target} with a working folder under {@code work}. {@code limit} only stops a
     * broken run; {@code idleCpu} adds the idle measurement (two and a half minutes: 120 s for idle jobs to rest and the JIT compiler to settle, then 30 s) once every row is in.
     */
    public static Result run(Target target, int jobs, Duration limit, boolean idleCpu, Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve(target.name().toLowerCase()));
        List<String> tables = IntStream.range(0, jobs).mapToObj(i -> "t_" + i).toList();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(); JobsWarehouse warehouse = open(target)) {
            createTopics(broker, tables);
            produce(broker, tables);
            warehouse.createTables(tables);
            Path config = dir.resolve("runtime.yaml");
            Files.writeString(config, warehouse.config(broker) + """
                    api:
                      listen: 127.0.0.1:%d
                    jobs: %s
                    """.formatted(EmbeddedKafkaBroker.freePort(), writeJobs(dir, broker, tables)));
            Path log = dir.resolve("runtime.log");
            long started = System.nanoTime();
            Process runtime = RuntimeProcess.start(dir, config, log, warehouse.environment(), LAUNCHER_JVM);
            try (Sampler sampler = new Sampler(runtime.pid(), warehouse)) {
                String failure = awaitRows(runtime, warehouse, tables, started, limit);
                double seconds = failure == null ? (System.nanoTime() - started) / 1e9 : Double.NaN;
                double idle = failure == null && idleCpu ? idleCpuPercent(runtime) : Double.NaN;
                Map<String, JobsWarehouse.TableCount> counts = new TreeMap<>(warehouse.counts(tables));
                sampler.sample();
                sampler.close();
                double stopSeconds = stop(runtime);
                return new Result(target, jobs, (long) jobs * MESSAGES,
                        counts.values().stream().mapToLong(JobsWarehouse.TableCount::rows).sum(), seconds,
                        sampler.peakRss.get(),
                        sampler.threads.get(), sampler.connections.get(), warehouse.peakRequests(), scan(log), idle,
                        stopSeconds, counts.values().stream().mapToLong(c -> c.rows() - c.ids()).sum(),
                        notExactlyOnce(counts), failure, log);
            } finally {
                if (runtime.isAlive()) {
                    runtime.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static JobsWarehouse open(Target target) throws Exception {
        return target == Target.POSTGRES ? new PostgresJobs() : new StreamLoadJobs();
    }

    /** Whether the broker's metadata has every topic with all its partitions (a topic it lacks yet fails the call). */
    private static boolean described(Admin admin, List<String> topics) throws Exception {
        try {
            return admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .allMatch(d -> d.partitions().size() == PARTITIONS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    private static void createTopics(EmbeddedKafkaBroker broker, List<String> tables) throws Exception {
        try (Admin admin = broker.admin()) {
            for (int from = 0; from < tables.size(); from += TOPICS_PER_REQUEST) {
                admin.createTopics(tables.subList(from, Math.min(tables.size(), from + TOPICS_PER_REQUEST)).stream()
                        .map(t -> new NewTopic(topic(t), PARTITIONS, (short) 1)).toList()).all().get();
            }
            // the controller has the topics; wait until the broker's metadata does, as createTopic does
            List<String> topics = tables.stream().map(ManyJobsRun::topic).toList();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5); // only stops a broken run
            while (!described(admin, topics)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not describe all " + topics.size() + " topics");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * {@value #MESSAGES} messages to each topic, ids 0 to 999 spread over its partitions in turn, one producer, a
     * topic at a time: with every topic's batches in flight at once, a broker that shares two cores timed requests
     * out, and the idempotent producer's retries then failed on their sequence numbers.
     */
    private static void produce(EmbeddedKafkaBroker broker, List<String> tables) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String t : tables) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < MESSAGES; i++) {
                    String json = "{\"id\":" + i + ",\"name\":\"n" + (i % 977) + "\",\"ts\":" + (1_700_000_000L + i) + "}";
                    sent.add(producer.send(new ProducerRecord<>(topic(t), i % PARTITIONS, null,
                            json.getBytes(StandardCharsets.UTF_8))));
                }
                producer.flush();
                for (Future<RecordMetadata> f : sent) {
                    f.get();
                }
            }
        }
    }

    private static String topic(String table) {
        return "topic_" + table;
    }

    private static Path writeJobs(Path dir, EmbeddedKafkaBroker broker, List<String> tables) throws Exception {
        StringBuilder sql = new StringBuilder();
        for (String t : tables) {
            sql.append("""
                    CREATE ROUTINE LOAD job_%s ON %s
                    PROPERTIES ('format' = 'json')
                    FROM KAFKA ('kafka_broker_list' = '%s', 'kafka_topic' = '%s',
                                'property.kafka_default_offsets' = 'OFFSET_BEGINNING');
                    """.formatted(t, t, broker.bootstrapServers(), topic(t)));
        }
        return Files.writeString(dir.resolve("jobs.sql"), sql);
    }

    /** Null once every table holds its messages, else why not (the runtime exited, or the limit passed). */
    private static String awaitRows(Process runtime, JobsWarehouse warehouse, List<String> tables, long started,
                                    Duration limit) throws Exception {
        Set<String> pending = new LinkedHashSet<>(tables);
        while (true) {
            warehouse.rows(pending).forEach((t, n) -> {
                if (n >= MESSAGES) {
                    pending.remove(t);
                }
            });
            if (pending.isEmpty()) {
                return null;
            }
            if (!runtime.isAlive()) {
                return "the runtime exited by itself with code " + runtime.exitValue();
            }
            if (System.nanoTime() - started > limit.toNanos()) {
                return pending.size() + " of " + tables.size() + " tables held fewer than " + MESSAGES + " rows after "
                        + limit.toMinutes() + " min";
            }
            Thread.sleep(500);
        }
    }

    /** The runtime's CPU over {@link #IDLE_WINDOW}, once it has had {@link #IDLE_SETTLE} to settle: % of a core. */
    private static double idleCpuPercent(Process runtime) throws InterruptedException {
        Thread.sleep(IDLE_SETTLE.toMillis());
        double before = LoadBenchmark.cpuSeconds(runtime.pid());
        Map<String, Double> threadsBefore = threadCpu(runtime.pid());
        Thread.sleep(IDLE_WINDOW.toMillis());
        double after = LoadBenchmark.cpuSeconds(runtime.pid());
        if (System.getenv("INLET_BENCH_THREADS") != null) {
            printIdleThreads(threadsBefore, threadCpu(runtime.pid()));
        }
        return runtime.isAlive() ? 100 * (after - before) / IDLE_WINDOW.toSeconds() : Double.NaN;
    }

    /** CPU seconds by thread name, digits folded ({@code inlet-load-#}), from {@code /proc/PID/task}. */
    private static Map<String, Double> threadCpu(long pid) {
        Map<String, Double> out = new java.util.TreeMap<>();
        try (var tasks = java.nio.file.Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0, Double::sum);
                } catch (Exception e) {
                    // the thread ended
                }
            }
        } catch (Exception e) {
            // the process ended
        }
        return out;
    }

    /** The threads that used CPU in the idle window, most first, as % of a core (INLET_BENCH_THREADS). */
    private static void printIdleThreads(Map<String, Double> before, Map<String, Double> after) {
        System.err.println("idle CPU by thread name (% of a core over " + IDLE_WINDOW.toSeconds() + " s):");
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(15)
                .forEach(e -> System.err.printf("  %-20s %6.2f%n", e.getKey(),
                        100 * e.getValue() / IDLE_WINDOW.toSeconds()));
    }

    /** SIGTERM, then the seconds until the runtime exited (NaN if it had to be killed after the stop limit). */
    private static double stop(Process runtime) throws InterruptedException {
        if (!runtime.isAlive()) {
            return -1;
        }
        long from = System.nanoTime();
        runtime.destroy();
        if (runtime.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            return (System.nanoTime() - from) / 1e9;
        }
        runtime.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        return Double.NaN;
    }

    private static final Pattern EVENT = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*");
    private static final Pattern PAUSED = Pattern.compile("\\bjob \\S+ paused\\b");
    private static final Pattern UNCAUGHT = Pattern.compile("^Exception\\b.*");

    static LogCounts scan(Path log) throws Exception {
        int tooMany = 0;
        int slots = 0;
        int pauses = 0;
        int resumes = 0;
        int oom = 0;
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            for (String line : (Iterable<String>) lines::iterator) {
                boolean event = EVENT.matcher(line).matches();
                oom += (event || UNCAUGHT.matcher(line).matches()) && line.contains("OutOfMemoryError") ? 1 : 0;
                if (!event) {
                    continue;
                }
                tooMany += line.contains("too many clients") ? 1 : 0;
                slots += line.contains("connection slots") ? 1 : 0;
                pauses += PAUSED.matcher(line).find() ? 1 : 0;
                resumes += line.contains("resumes by itself") ? 1 : 0;
            }
        }
        return new LogCounts(tooMany, slots, pauses, resumes, oom);
    }

    private static List<String> notExactlyOnce(Map<String, JobsWarehouse.TableCount> counts) {
        List<String> out = new ArrayList<>();
        counts.forEach((t, c) -> {
            if (c.rows() != MESSAGES || c.ids() != MESSAGES) {
                out.add(t + ": " + c.rows() + " rows, " + c.ids() + " ids");
            }
        });
        return out;
    }

    /**
     * Samples the runtime's threads, peak RSS and warehouse connections every {@link #SAMPLE_EVERY}, keeping the
     * peaks: the RSS too, so that a runtime that exits by itself still has one.
     */
    private static final class Sampler implements AutoCloseable {

        private final long pid;
        private final JobsWarehouse warehouse;
        private final AtomicInteger threads = new AtomicInteger();
        private final AtomicLong peakRss = new AtomicLong();
        private final AtomicInteger connections = new AtomicInteger();
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "many-jobs-sampler");
            t.setDaemon(true);
            return t;
        });

        Sampler(long pid, JobsWarehouse warehouse) {
            this.pid = pid;
            this.warehouse = warehouse;
            timer.scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }

        synchronized void sample() {
            threads.accumulateAndGet(threads(pid), Math::max);
            peakRss.accumulateAndGet(LoadBenchmark.peakRss(pid), Math::max);
            try {
                connections.accumulateAndGet(warehouse.connections(), Math::max);
            } catch (Exception missed) {
                // one sample fewer
            }
        }

        private static int threads(long pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("Threads:")) {
                        return Integer.parseInt(line.substring("Threads:".length()).trim());
                    }
                }
            } catch (Exception exited) {
                // no sample
            }
            return 0;
        }

        @Override
        public void close() throws InterruptedException {
            timer.shutdownNow();
            timer.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
