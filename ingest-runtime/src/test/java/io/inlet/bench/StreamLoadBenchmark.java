package io.inlet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inlet.demo.EmbeddedKafkaBroker;
import io.inlet.streamload.Flavor;
import io.inlet.streamload.testserver.StreamLoadTestServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Inlet → Stream Load (issue 6's measurement): one 3-partition topic of MESSAGES (default
 * 5,000,000) JSON messages of about 100 bytes shaped like seed 001's {@code users}; seed 001's job
 * (jsonpaths, a derived {@code dt}) pushed down to the Stream Load test server's counting table.
 * {@code inlet run} starts cold in its own JVM ({@code -Xmx256m -XX:+UseParallelGC}, as the launcher runs it); once its
 * API answers, the job is created through it and the clock runs from that request to the last row
 * committed (the service's own start is reported too). The raw KafkaConsumer rate on the same topic,
 * measured in the same run, is the reference.
 *
 * <p>Arguments: {@code [MESSAGES [HTTP]]}, HTTP being the Stream Load client's HTTP implementation in the service
 * and the forwarder ({@code httpclient5}, the default, or {@code builtin}, Inlet's own), passed to their JVMs as
 * {@code -Dinlet.streamload.http}.
 */
public final class StreamLoadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] GENDERS = {"MALE", "FEMALE", "OTHER"};

    /** One job the service runs: seed 001's statement from {@code topic} into the counting table {@code table}. */
    private record Job(String topic, String table, int messages) {}

    /** What one job measured, in {@link System#nanoTime} instants, and the service's peak RSS and CPU so far. */
    private record Run(long launch, long ready, long start, long first, long at10, long at50, long at90, long end,
                       long peakRss, double cpuSeconds) {}

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 5_000_000;
        httpImplementation = args.length > 1 ? args[1] : "httpclient5";
        if (!httpImplementation.equals("builtin") && !httpImplementation.equals("httpclient5")) {
            throw new IllegalArgumentException("HTTP must be builtin or httpclient5, not " + httpImplementation);
        }
        int warmup = Integer.parseInt(System.getenv().getOrDefault("INLET_BENCH_WARMUP", "1000000"));
        boolean threads = System.getenv("INLET_BENCH_THREADS") != null;
        Path work = Files.createTempDirectory("inlet-bench-sl");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             StreamLoadTestServer server = StreamLoadTestServer.builder(Flavor.STARROCKS)
                     .credentials("loader", "bench-secret").build()) {
            broker.createTopic("users", 3);
            long bytes = LoadBenchmark.produce(broker, "users", messages, StreamLoadBenchmark::message);
            System.err.printf("produced %,d messages, %,d bytes (%.0f bytes/message)%n", messages, bytes,
                    (double) bytes / messages);
            double rawSeconds = LoadBenchmark.rawConsumerReference(broker, "users", messages).seconds();
            createTransactionLog(broker);
            if (warmup > 0) {
                // the warehouse and the broker have been running for a while: their code is compiled
                broker.createTopic("warmup", 3);
                LoadBenchmark.produce(broker, "warmup", warmup, StreamLoadBenchmark::message);
                serve(broker, server, work.resolve("warmup"), "_inlet_warmup_jobs", false,
                        List.of(new Job("warmup", "warmup", warmup)), messages / rawSeconds);
                System.err.printf("warm-up: %,d messages loaded by a service that has exited%n", warmup);
            }
            List<Run> runs = serve(broker, server, work.resolve("measured"), "_inlet_jobs", threads,
                    List.of(new Job("users", "users", messages), new Job("users", "users_again", messages)),
                    messages / rawSeconds);
            List<Run> bare = bare(server, broker.bootstrapServers(), work.resolve("bare"), messages, threads);
            print(runs.get(0), runs.get(1), bare.get(0), bare.get(1), messages, bytes, rawSeconds);
        }
        LoadBenchmark.deleteUnlessKept(work);
    }

    /** The Stream Load client's HTTP implementation in the service and the forwarder. */
    private static String httpImplementation = "httpclient5";

    private static final String[] COLUMNS = {"userid VARCHAR(64)", "regionid VARCHAR(64)", "gender VARCHAR(16)",
            "registertime BIGINT", "dt DATETIME"};

    /**
     * Starts {@code inlet run} cold in its own JVM and, once its API answers, runs the jobs one
     * after the other: each is created through the API and timed until the counting table holds
     * every message; then stops the service.
     */
    private static List<Run> serve(EmbeddedKafkaBroker broker, StreamLoadTestServer server, Path dir,
                                   String catalogTopic, boolean threads, List<Job> jobs, double rawRate)
            throws Exception {
        Files.createDirectories(dir);
        int apiPort = EmbeddedKafkaBroker.freePort();
        Files.writeString(dir.resolve("inlet.yaml"), """
                warehouse:
                  type: starrocks
                  load-url: %s
                  user: loader
                  database: bench
                catalog:
                  kafka:
                    bootstrap-servers: %s
                    topic: %s
                api:
                  listen: 127.0.0.1:%d
                """.formatted(server.loadUrl(), broker.bootstrapServers(), catalogTopic, apiPort));
        ProcessBuilder pb = jvm(dir, "service", "io.inlet.cli.InletCli", "run", "--config",
                dir.resolve("inlet.yaml").toString());
        pb.environment().put("INLET_API_TOKEN", "bench-token");
        long launch = System.nanoTime();
        Process p = pb.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + apiPort;
            while (!ready(http, api) && p.isAlive()) {
                Thread.sleep(5);
            }
            long ready = System.nanoTime();
            List<Run> runs = new ArrayList<>();
            for (Job job : jobs) {
                server.createCountingTable("bench", job.table(), COLUMNS);
                runs.add(run(http, api, server, p, job, launch, ready, threads, broker.bootstrapServers(), dir, rawRate));
            }
            return runs;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    /**
     * A JVM as the launcher starts the service ({@code -Xmx256m -XX:+UseParallelGC}, with the
     * benchmark's JFR and JVM options), running {@code main} with the warehouse password, its output
     * in {@code dir/name.log}.
     */
    private static ProcessBuilder jvm(Path dir, String name, String main, String... args) {
        List<String> command = LoadBenchmark.javaCommand("256m", dir.getFileName().toString(), main, args);
        command.add(1, "-Dinlet.streamload.http=" + httpImplementation);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("INLET_WAREHOUSE_PASSWORD", "bench-secret");
        return pb;
    }

    /**
     * What any forwarder gets on this machine: {@link BareForwarder} in a JVM like the service's
     * reads the topic twice, into two counting tables of its own; the first pass is timed from the
     * launch, the second from the end of the first.
     */
    private static List<Run> bare(StreamLoadTestServer server, String bootstrap, Path dir, int messages,
                                  boolean threads) throws Exception {
        Files.createDirectories(dir);
        List<String> tables = List.of("bare", "bare_again");
        for (String table : tables) {
            server.createCountingTable("bench", table, COLUMNS);
        }
        ProcessBuilder pb = jvm(dir, "forwarder", BareForwarder.class.getName(), bootstrap, "users", "3",
                server.loadUrl(), "bench", "loader", tables.get(0), tables.get(1));
        long self = ProcessHandle.current().pid();
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            List<Run> runs = new ArrayList<>();
            Map<String, Double> forwarderBefore = Map.of();
            for (String table : tables) {
                Map<String, Double> benchBefore = threads ? LoadBenchmark.threadCpu(self) : Map.of();
                Run run = awaitRows(server, table, messages, p, start, start, start, dir.resolve("forwarder.log"));
                if (threads) {
                    Map<String, Double> forwarderNow = LoadBenchmark.threadCpu(p.pid());
                    LoadBenchmark.printThreadCpu("the bare forwarder, into " + table, forwarderBefore, forwarderNow);
                    LoadBenchmark.printThreadCpu("the broker and the test server", benchBefore, LoadBenchmark.threadCpu(self));
                    forwarderBefore = forwarderNow;
                }
                runs.add(run);
                start = run.end();
            }
            return runs;
        } finally {
            p.destroy();
            p.waitFor();
        }
    }

    private static Run run(HttpClient http, String api, StreamLoadTestServer server, Process p, Job job, long launch,
                           long ready, boolean threads, String bootstrap, Path dir, double rawRate) throws Exception {
        String create = """
                CREATE ROUTINE LOAD bench.%s_job ON %s
                COLUMNS(userid, regionid, gender, registertime, dt=from_unixtime(registertime/1000))
                PROPERTIES ('format'='json', 'jsonpaths'='["$.userid","$.regionid","$.gender","$.registertime"]')
                FROM KAFKA ('kafka_broker_list'='%s', 'kafka_topic'='%s',
                            'property.kafka_default_offsets'='OFFSET_BEGINNING'%s)
                """.formatted(job.table(), job.table(), bootstrap, job.topic(),
                System.getenv().getOrDefault("INLET_BENCH_SOURCE_PROPERTIES", ""));
        long self = ProcessHandle.current().pid();
        Map<String, Double> serviceBefore = threads ? LoadBenchmark.threadCpu(p.pid()) : Map.of();
        Map<String, Double> benchBefore = threads ? LoadBenchmark.threadCpu(self) : Map.of();
        long[] machineBefore = threads ? LoadBenchmark.machineTicks() : null;
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/api/v1/sql"))
                .header("Authorization", "Bearer bench-token")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", create)))).build();
        long start;
        HttpResponse<String> created;
        long restoringUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            // a service that answers its API may still be restoring its jobs: it says so, and the CREATE is sent again
            start = System.nanoTime();
            created = http.send(request, HttpResponse.BodyHandlers.ofString());
        } while (created.statusCode() != 200 && created.body().contains("restoring its jobs")
                && System.nanoTime() < restoringUntil && sleep(20));
        if (created.statusCode() != 200) {
            throw new IllegalStateException("CREATE ROUTINE LOAD answered " + created.body());
        }
        Run run = awaitRows(server, job.table(), job.messages(), p, launch, ready, start, dir.resolve("service.log"));
        if (threads) {
            Map<String, Double> serviceAfter = LoadBenchmark.threadCpu(p.pid());
            Map<String, Double> benchAfter = LoadBenchmark.threadCpu(self);
            double busy = (LoadBenchmark.machineTicks()[0] - machineBefore[0]) / 100.0;
            LoadBenchmark.printThreadCpu("Inlet → Stream Load, job on " + job.table(), serviceBefore, serviceAfter);
            LoadBenchmark.printThreadCpu("the broker and the test server", benchBefore, benchAfter);
            LoadBenchmark.printBudget("the raw consumer (the whole job)", job.messages() / (0.8 * rawRate), busy,
                    LoadBenchmark.compilerSeconds(serviceBefore, serviceAfter)
                            + LoadBenchmark.compilerSeconds(benchBefore, benchAfter));
        }
        return run;
    }

    /** Polls the counting table until it holds {@code messages} rows: when the first came, 10 %, 50 %, 90 % and all. */
    private static Run awaitRows(StreamLoadTestServer server, String table, int messages, Process p, long launch,
                                 long ready, long start, Path log) throws Exception {
        long first = -1, at10 = -1, at50 = -1, at90 = -1, end = -1;
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            long rows = server.rowCount("bench", table);
            long now = System.nanoTime();
            if (first < 0 && rows > 0) {
                first = now;
            }
            if (at10 < 0 && rows >= messages / 10) {
                at10 = now;
            }
            if (at50 < 0 && rows >= messages / 2) {
                at50 = now;
            }
            if (at90 < 0 && rows >= messages * 9L / 10) {
                at90 = now;
            }
            if (rows >= messages) {
                end = now;
                break;
            }
            Thread.sleep(2);
        }
        if (end < 0) {
            throw new IllegalStateException("not every row arrived; log: " + log);
        }
        return new Run(launch, ready, start, first, at10, at50, at90, end, LoadBenchmark.peakRss(p.pid()),
                LoadBenchmark.cpuSeconds(p.pid()));
    }

    private static void print(Run cold, Run warm, Run bare, Run bareWarm, int messages, long bytes, double rawSeconds) {
        double bytesPerRow = (double) bytes / messages;
        double rawRate = messages / rawSeconds;
        List<Run> all = List.of(cold, warm, bare, bareWarm);
        double[] steady = all.stream().mapToDouble(r -> steady(r, messages)).toArray();
        System.out.printf("%n| Inlet → Stream Load test server (%,d JSON messages, %.0f B, 3 partitions; pushdown; HTTP: %s)"
                + " | first job | second job | bare forwarder, first pass | second pass |%n", messages, bytesPerRow, httpImplementation);
        System.out.println("|---|---|---|---|---|");
        System.out.printf("| service start: launch of `inlet run` → API answers | %s | | | |%n",
                seconds(cold.launch(), cold.ready()));
        row("total: CREATE ROUTINE LOAD (forwarder: its launch, end of first pass) → last row committed", all,
                r -> seconds(r.start(), r.end()));
        System.out.printf("| total from the launch of `inlet run` | %s | | | |%n", seconds(cold.launch(), cold.end()));
        row("first committed rows", all, r -> seconds(r.start(), r.first()));
        row("steady state (10% → 90% of rows)", all, r -> rate(steady(r, messages), bytesPerRow));
        System.out.printf("| KafkaConsumer raw (byte[]), same topic, fastest of 3 warm passes | %s | | | |%n",
                rate(rawRate, bytesPerRow));
        row("steady state / raw consumer", all, r -> String.format("%.2f ×", steady(r, messages) / rawRate));
        row("second half (50% → 90% of rows) / raw consumer", all,
                r -> String.format("%.2f ×", messages * 0.4 / ((r.at90() - r.at50()) / 1e9) / rawRate));
        System.out.printf("| steady state / the bare forwarder's in the same pass | %.2f × | %.2f × | | |%n",
                steady[0] / steady[2], steady[1] / steady[3]);
        row("peak RSS (VmHWM), so far", all, r -> r.peakRss() / (1024 * 1024) + " MB");
        System.out.printf("| CPU per row, so far | %.2f µs | %.2f µs | %.2f µs | %.2f µs |%n",
                cold.cpuSeconds() * 1e6 / messages, warm.cpuSeconds() * 1e6 / (2.0 * messages),
                bare.cpuSeconds() * 1e6 / messages, bareWarm.cpuSeconds() * 1e6 / (2.0 * messages));
    }

    private static void row(String name, List<Run> runs, java.util.function.Function<Run, String> cell) {
        StringBuilder line = new StringBuilder("| ").append(name).append(" |");
        for (Run r : runs) {
            line.append(' ').append(cell.apply(r)).append(" |");
        }
        System.out.println(line);
    }

    private static String seconds(long from, long to) {
        return String.format("%.2f s", (to - from) / 1e9);
    }

    private static double steady(Run r, int messages) {
        return messages * 0.8 / ((r.at90() - r.at10()) / 1e9);
    }

    private static String rate(double rowsPerSecond, double bytesPerRow) {
        return String.format("%,.0f rows/s, %.1f MB/s", rowsPerSecond, rowsPerSecond * bytesPerRow / 1e6);
    }

    private static boolean sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return true;
    }

    private static boolean ready(HttpClient http, String api) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(api + "/healthz")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    static byte[] message(SplittableRandom r) {
        long registertime = 1_493_596_800_000L + r.nextLong(7L * 24 * 3600 * 1000);
        return ("{\"registertime\":" + registertime + ",\"userid\":\"User_" + r.nextInt(1_000_000)
                + "\",\"regionid\":\"Region_" + r.nextInt(10) + "\",\"gender\":\"" + GENDERS[r.nextInt(3)] + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A cluster that has ever run a transaction has its transaction log; this fresh one creates it
     * (50 partitions) on the first, which is not what a start of Inlet costs.
     */
    static void createTransactionLog(EmbeddedKafkaBroker broker) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers(), ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-warm-up"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            p.initTransactions();
        }
    }

}
